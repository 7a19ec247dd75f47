package io.tessera.bench.p1;

import io.tessera.bench.BenchReport;
import io.tessera.bench.BenchServer;
import io.tessera.bench.ProcessCpu;
import io.tessera.bench.Tools;
import io.tessera.client.auth.ApiKeyAuthClient;
import io.tessera.client.sql.SqlClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * P1: a SQL API point query, {@code SELECT * FROM t WHERE cartodb_id = <random>} on a 100k-row cartodbfied
 * table, through HTTP with the master key (cache headers on: EXPLAIN cached by fingerprint, stamps read per
 * request) under {@code wrk} at 32 connections, against {@code pgbench -M prepared} running the same query
 * text at the same concurrency as the same role on the same cluster. Goal: ≥ 0.70× pgbench's throughput and
 * a p99 ≤ 10 ms. CPU per request counts the server side only (this JVM + PostgreSQL), not wrk or pgbench.
 *
 * <p>Arguments: {@code [seconds per run, default 20] [connections, default 32] [warm-up seconds, default 20]}.
 */
public final class P1Bench {
    private static final int ROWS = 100_000;

    private P1Bench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        try (BenchServer bench = BenchServer.start("p1")) {
            SqlClient sql = new SqlClient(new ApiKeyAuthClient(bench.baseUrl(), bench.user().masterKey()));
            sql.send("CREATE TABLE t AS SELECT i AS cartodb_id, 'place ' || i AS name, (i % 1000)::int AS value,"
                    + " ST_SetSRID(ST_MakePoint(random() * 360 - 180, random() * 170 - 85), 4326) AS the_geom"
                    + " FROM generate_series(1, " + ROWS + ") i; SELECT CDB_CartodbfyTable('t'); ANALYZE t");
            ProcessCpu cpu = new ProcessCpu(bench.postmasterPid());
            Path dir = Files.createTempDirectory("p1-");

            String prefix = "/user/" + bench.user().user().username() + "/api/v2/sql?api_key=" + bench.user().masterKey()
                    + "&q=" + URLEncoder.encode("SELECT * FROM t WHERE cartodb_id = ", StandardCharsets.UTF_8).replace("+", "%20");
            Path lua = Files.writeString(dir.resolve("p1.lua"), "request = function()\n"
                    + "  return wrk.format(\"GET\", \"" + prefix + "\" .. math.random(1, " + ROWS + "))\n"
                    + "end\n");
            String base = bench.baseUrl().substring(0, bench.baseUrl().indexOf("/user/"));
            List<String> wrk = List.of("wrk", "-t", "2", "-c", Integer.toString(connections), "-d", seconds + "s",
                    "--latency", "-s", lua.toString(), base);
            // Warm-up: pools, the plan cache, and the JIT (whose compiler threads otherwise bill the run).
            Tools.run(List.of("wrk", "-t", "2", "-c", Integer.toString(connections), "-d", warmup + "s", "-s", lua.toString(), base), Map.of());

            long sessions0 = sessions(bench);
            double jvm0 = ProcessCpu.jvmSeconds();
            double pg0 = cpu.postgresSeconds();
            String w = Tools.run(wrk, Map.of());
            double jvmCpu = ProcessCpu.jvmSeconds() - jvm0;
            double pgCpu = cpu.postgresSeconds() - pg0;
            double tesseraCpu = jvmCpu + pgCpu;
            long sessions = sessions(bench) - sessions0;
            double rps = Tools.number(w, "Requests/sec:\\s+([0-9.]+)");
            double requests = Tools.number(w, "([0-9]+) requests in");
            double p99 = millis(w, "99%");
            double p50 = millis(w, "50%");
            if (w.contains("Non-2xx")) {
                throw new IllegalStateException("errors under load:\n" + w);
            }

            // The HTTP floor on this machine: the same server answering without touching the database.
            String floor = Tools.run(List.of("wrk", "-t", "2", "-c", Integer.toString(connections), "-d", seconds + "s",
                    base + "/api/v1/version"), Map.of());
            double floorRps = Tools.number(floor, "Requests/sec:\\s+([0-9.]+)");

            Path script = Files.writeString(dir.resolve("p1.sql"),
                    "\\set id random(1, " + ROWS + ")\nSELECT * FROM t WHERE cartodb_id = :id;\n");
            Peer prepared = pgbench(bench, cpu, connections, seconds, "prepared", script);
            // What security rule 4 and a streaming cursor make any SQL API send per request, with pgbench as the
            // client: a transaction around the unprepared query (pipelined with its BEGIN), then COMMIT and
            // DISCARD ALL, which also drops any prepared statement. Tessera sends the same in two round trips.
            Path ruleFour = Files.writeString(dir.resolve("p1-reset.sql"), "\\set id random(1, " + ROWS + ")\n"
                    + "\\startpipeline\nBEGIN;\nSELECT * FROM t WHERE cartodb_id = :id;\n\\endpipeline\nCOMMIT;\nDISCARD ALL;\n");
            Peer reset = pgbench(bench, cpu, connections, seconds, "extended", ruleFour);
            double tps = prepared.tps();

            BenchReport report = new BenchReport("P1 point query, " + connections + " connections, " + seconds + " s");
            report.higherIsBetter("throughput (wrk vs pgbench -M prepared)", rps, tps, "req/s", 0.70);
            report.figure("HTTP floor: GET /api/v1/version on the same server", floorRps, "req/s");
            // What any HTTP front end could reach here if joining HTTP to the query cost nothing: the floor run keeps
            // every core busy (wrk + server), so a request costs cores/floor of CPU; the query costs what PostgreSQL
            // spent per pgbench transaction.
            int cores = Runtime.getRuntime().availableProcessors();
            double ceiling = cores / (cores / floorRps + prepared.cpuPerTransaction());
            report.figure("ceiling with zero cost between HTTP and the query, as a ratio to pgbench", ceiling / tps, "×");
            report.figure("pgbench sending what rule 4 needs (BEGIN + query, COMMIT, DISCARD ALL; unprepared)", reset.tps(), "tps");
            report.figure("  tessera as a ratio to it", rps / reset.tps(), "×");
            report.figure("  its PostgreSQL CPU per transaction", reset.cpuPerTransaction() * 1e6, "µs");
            report.figure("ceiling with zero cost between HTTP and a rule-4 query, as a ratio to pgbench -M prepared",
                    cores / (cores / floorRps + reset.cpuPerTransaction()) / tps, "×");
            report.figure("tessera p50 latency", p50, "ms");
            report.figure("tessera p99 latency (goal ≤ 10 ms)", p99, "ms");
            report.figure("pgbench average latency", prepared.latencyMs(), "ms");
            report.figure("tessera CPU per request (JVM + PostgreSQL)", tesseraCpu / requests * 1e6, "µs");
            report.figure("database sessions opened during the tessera run", sessions, "");
            report.figure("  of which JVM", jvmCpu / requests * 1e6, "µs");
            report.figure("  of which PostgreSQL", pgCpu / requests * 1e6, "µs");
            report.figure("pgbench CPU per transaction (PostgreSQL)", prepared.cpuPerTransaction() * 1e6, "µs");
        }
    }

    /** One pgbench run: its throughput, average latency, and PostgreSQL CPU seconds per transaction. */
    private record Peer(double tps, double latencyMs, double cpuPerTransaction) {
    }

    private static Peer pgbench(BenchServer bench, ProcessCpu cpu, int connections, int seconds, String mode, Path script)
            throws Exception {
        java.util.function.IntFunction<List<String>> run = secs -> List.of("pgbench", "-n", "-M", mode,
                "-c", Integer.toString(connections), "-j", "2", "-T", Integer.toString(secs), "-f", script.toString());
        int children = cpu.children();
        Tools.run(run.apply(5), bench.ownerEnv()); // warm-up: connections, plans, caches
        cpu.awaitChildren(children);
        double cpu0 = cpu.postgresSeconds();
        String out = Tools.run(run.apply(seconds), bench.ownerEnv());
        cpu.awaitChildren(children); // pgbench's backends count once they have exited and been reaped
        double used = cpu.postgresSeconds() - cpu0;
        double transactions = Tools.number(out, "number of transactions actually processed: ([0-9]+)");
        return new Peer(Tools.number(out, "tps = ([0-9.]+) \\(without initial connection time\\)"),
                Tools.number(out, "latency average = ([0-9.]+) ms"), used / transactions);
    }

    /** Sessions the cluster has opened so far (pg_stat_database.sessions): pooled connections should keep it still. */
    private static long sessions(BenchServer bench) throws java.sql.SQLException {
        try (var c = bench.platform().admin().dataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A wrk latency percentile line ({@code 99%   3.21ms}) in milliseconds. */
    private static double millis(String wrk, String percentile) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(percentile.replace("%", "%") + "\\s+([0-9.]+)(us|ms|s)").matcher(wrk);
        if (!m.find()) {
            throw new IllegalStateException("no " + percentile + " latency in:\n" + wrk);
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }
}

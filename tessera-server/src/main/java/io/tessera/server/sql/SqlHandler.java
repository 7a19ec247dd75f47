package io.tessera.server.sql;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.tessera.server.auth.ApiKey;
import io.tessera.server.auth.Caller;
import io.tessera.server.auth.RequestAuth;
import io.tessera.server.db.RoleConnection;
import io.tessera.server.db.RolePools;
import io.tessera.server.http.ApiException;
import io.tessera.server.http.ApiHandler;
import io.tessera.server.http.ApiRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/:version/sql}: any method, user from path or Host, key from Basic/query/body, then the
 * script runs on a connection of the key's own role under the request's wall-clock watchdog and
 * streams out in the requested format (sql-api.md §1–3).
 */
public final class SqlHandler implements ApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SqlHandler.class);
    private static final Pattern SELECT_INTO = Pattern.compile("(?is).*\\binto\\s+[\\w.\"]+\\s*$");
    private static final Pattern ALTERS_ROLE = Pattern.compile("(?is)\\b(alter\\s+(role|user)|set\\s+session\\s+authorization)\\b");

    private final RequestAuth auth;
    private final RolePools pools;
    private final Watchdog watchdog;
    private final QueryRunner runner;
    private final ValueWriter values;
    private final int defaultTimeoutMs;
    private final QueryTables queryTables = new QueryTables();
    private final OgrExport ogr;
    private final ExportLimits limits;
    private final TableStamps stamps;

    public SqlHandler(RequestAuth auth, RolePools pools, Watchdog watchdog, QueryRunner runner, ValueWriter values,
                      int defaultTimeoutMs, OgrExport ogr, ExportLimits limits, TableStamps stamps) {
        this.stamps = stamps;
        this.ogr = ogr;
        this.limits = limits;
        this.auth = auth;
        this.pools = pools;
        this.watchdog = watchdog;
        this.runner = runner;
        this.values = values;
        this.defaultTimeoutMs = defaultTimeoutMs;
    }

    @Override
    public void handle(ApiRequest req, ServerResponse res) throws Exception {
        Cors.apply(res);
        if (req.method().equals("OPTIONS")) {
            res.status(Status.OK_200).send();
            return;
        }
        String callback = null;
        try {
            callback = SqlParams.callbackOf(req).orElse(null);
            String username = auth.username(req, SqlApiErrors.INSTANCE);
            res.header("Carto-User", username);
            Caller caller = auth.resolve(req, SqlApiErrors.INSTANCE, req::bodyParam);
            if (!caller.key().allows(ApiKey.API_SQL)) {
                throw SqlApiErrors.noSqlGrant();
            }
            res.header("Carto-User-Id", caller.user().id().toString());
            res.header(HeaderNames.VARY, "Authorization");
            req.queryParam("client").ifPresent(c -> res.header("Carto-Client", c));
            execute(caller, SqlParams.read(req), res);
        } catch (ApiException e) {
            if (callback == null || res.isSent()) {
                throw e;
            }
            // JSONP errors are 200, so a script tag still calls back (sql-api.md §2.9).
            res.status(Status.OK_200);
            res.header(HeaderNames.CONTENT_TYPE, "text/javascript; charset=utf-8");
            String body = e.body() == null ? "{}" : e.body().toString();
            res.send(("/**/ typeof " + callback + " === 'function' && " + callback + "(" + body + ");")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    private void execute(Caller caller, SqlParams p, ServerResponse res) throws SQLException, IOException {
        List<String> statements = new ArrayList<>(SqlScript.split(p.q()));
        if (!statements.isEmpty()) {
            int last = statements.size() - 1;
            String sql = statements.get(last);
            if (p.paginated() && wrappable(sql)) {
                sql = "SELECT * FROM (" + sql + ") AS cdbq_1 LIMIT " + p.rowsPerPage() + " OFFSET " + ((long) p.page() * p.rowsPerPage());
            }
            sql = switch (p.format()) {
                case GEOJSON -> GeoJsonResultWriter.wrap(sql, p.dp());
                case TOPOJSON -> TopoJsonResultWriter.wrap(sql, p.dp(), limits.maxRows());
                case SVG -> SvgResultWriter.wrap(sql, p.dp(), limits.maxRows());
                default -> sql;
            };
            statements.set(last, sql);
        }
        int timeout = caller.user().sqlTimeoutMs() != null ? caller.user().sqlTimeoutMs() : defaultTimeoutMs;
        long start = System.nanoTime();
        SqlResponse response = new SqlResponse(res, p.format().contentType(), SqlResponse.contentDisposition(p));
        Notices notices = new Notices();
        ResultWriter writer = null;
        try (RoleConnection conn = pools.connect(caller.key().dbRole());
             Watchdog.Guard guard = watchdog.guard(conn, timeout)) {
            if (ALTERS_ROLE.matcher(p.q()).find()) {
                conn.markRoleMayHaveChanged();
            }
            try {
                conn.jdbc().setAutoCommit(true);
                QueryTables.Result touched = queryTables.analyse(conn.jdbc(), conn.role(), statements);
                if (!caller.key().isMaster() && touched.readsSystem()) {
                    throw SqlApiErrors.forbidden("system tables are forbidden");
                }
                boolean mayWrite = CacheHeaders.mayWrite(p.q());
                CacheHeaders.compute(conn.jdbc(), stamps, touched, mayWrite, p.persist(), Instant.now()).apply(res);
                // A write moves stamps at its commit: drop this node's copies then, not when the notification lands.
                Runnable committed = mayWrite ? () -> stamps.invalidate(touched.oids()) : () -> { };
                switch (p.format()) {
                    case JSON -> writer = new JsonResultWriter(response, values, p.callback(), runner.fetchSize());
                    case GEOJSON -> writer = new GeoJsonResultWriter(response, values, p.callback(), runner.fetchSize());
                    case TOPOJSON -> writer = new TopoJsonResultWriter(response, values, p.callback(), limits.maxRows());
                    case SVG -> writer = new SvgResultWriter(response, limits.maxRows());
                    case ARRAYBUFFER -> writer = new ArrayBufferResultWriter(response, limits.maxRows());
                    case CSV, KML, SHP, SPATIALITE, GPKG -> {
                        runFile(conn, statements, p, response, notices, committed);
                        return;
                    }
                }
                // The commit and the session reset travel in one round trip; nothing uses the connection after.
                QueryRunner.Outcome outcome = runner.run(conn.jdbc(), statements, p.skipfields(), notices, writer,
                        (c, n) -> conn.commitAndReset(n::collect));
                committed.run();
                conn.restoreRoleIfChanged();
                writer.finish(outcome, seconds(start), notices);
            } catch (SQLException e) {
                if (guard.fired() || SqlApiErrors.isTimeout(e)) {
                    conn.markBroken();
                }
                ApiException mapped = SqlApiErrors.fromSql(e);
                if (writer != null && writer.started()) {
                    conn.restoreRoleIfChanged();
                    String message = mapped.status() == 429 ? SqlApiErrors.TIMEOUT_MESSAGE : SqlApiErrors.message(e);
                    writer.failMidStream(message, seconds(start), notices);
                    return;
                }
                conn.restoreRoleIfChanged();
                if (response.started()) {
                    LOG.debug("CSV export failed after it started: {}", e.getMessage());
                    return; // the body is cut short; CSV has no place for an error
                }
                throw mapped;
            } catch (UncheckedIOException | IOException e) {
                // The client went away mid-stream. A cursor is closed by the rollback and DISCARD ALL every
                // connection gets on its way back to the pool; only a cancelled COPY (CSV) or an export's
                // connection is in a state not worth trusting. Evicting every time emptied the pool when a load
                // test stopped (each waiting request found its client gone).
                if (p.format() == OutputFormat.CSV || p.format().viaOgr()) {
                    conn.markBroken();
                }
                LOG.debug("client gone: {}", e.getMessage());
            }
        }
    }

    /** CSV (COPY) and the ogr2ogr formats: earlier statements run and commit, the last one is exported. */
    private void runFile(RoleConnection conn, List<String> statements, SqlParams p, SqlResponse response, Notices notices,
                         Runnable committed) throws SQLException, IOException {
        List<String> before = statements.subList(0, Math.max(0, statements.size() - 1));
        if (!before.isEmpty()) {
            runner.run(conn.jdbc(), before, p.skipfields(), notices, (rs, cols) -> 0);
            committed.run();
        }
        conn.jdbc().setAutoCommit(true);
        if (statements.isEmpty()) {
            if (p.format().viaOgr()) {
                throw SqlApiErrors.badRequest("You must indicate a sql query");
            }
            response.start().close();
            return;
        }
        String last = statements.get(statements.size() - 1);
        if (p.format().viaOgr()) {
            ogr.export(conn.jdbc(), conn.role(), last, p, response);
        } else {
            CsvExport.stream(conn.jdbc(), CsvExport.copySql(conn.jdbc(), last, p.skipfields()), response);
        }
    }

    /** CARTO wraps only plain SELECTs (after a leading WITH) that do not end in {@code INTO name}. */
    static boolean wrappable(String sql) {
        String first = SqlScript.firstKeyword(sql);
        if (!first.equals("SELECT") && !first.equals("WITH")) {
            return false;
        }
        if (first.equals("WITH") && Pattern.compile("(?i)\\b(insert|update|delete)\\b").matcher(sql).find()) {
            return false;
        }
        return !SELECT_INTO.matcher(sql).matches();
    }

    private static double seconds(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1_000_000.0) / 1000.0;
    }

}

package io.tessera.bench.p5;

import io.tessera.server.db.DatabaseEndpoint;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * MapServer 8 ({@code cgi-mapserver}) serving MVT from the same table, under FastCGI (lighttpd's
 * {@code mod_fastcgi} keeping {@code mapserv} processes alive: never plain CGI, which would measure process start).
 * The database password is only in files of mode 0600 in a private directory.
 */
final class MapServerPeer implements AutoCloseable {
    private final Process lighttpd;
    private final int port;

    private MapServerPeer(Process lighttpd, int port) {
        this.lighttpd = lighttpd;
        this.port = port;
    }

    static boolean available() {
        return Files.isExecutable(Path.of("/usr/lib/cgi-bin/mapserv")) && Files.isExecutable(Path.of("/usr/sbin/lighttpd"));
    }

    static MapServerPeer start(Path dir, DatabaseEndpoint ep, String role, String password, String schema, int processes)
            throws IOException, InterruptedException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Path map = dir.resolve("p5.map");
        Files.writeString(map, """
                MAP
                  NAME "p5"
                  EXTENT -20037508.342789244 -20037508.342789244 20037508.342789244 20037508.342789244
                  SIZE 256 256
                  UNITS METERS
                  PROJECTION "init=epsg:3857" END
                  OUTPUTFORMAT
                    NAME "mvt"
                    DRIVER MVT
                    FORMATOPTION "EXTENT=4096"
                    FORMATOPTION "EDGE_BUFFER=64"
                  END
                  LAYER
                    NAME "layer0"
                    TYPE POINT
                    STATUS ON
                    CONNECTIONTYPE POSTGIS
                    CONNECTION "host=%s port=%d dbname=%s user=%s password=%s"
                    DATA "the_geom_webmercator from (select cartodb_id, category, the_geom_webmercator from %s.points_1m) as q using unique cartodb_id using srid=3857"
                    PROJECTION "init=epsg:3857" END
                    METADATA "gml_include_items" "all" "gml_types" "auto" END
                  END
                END
                """.formatted(ep.host(), ep.port(), ep.database(), role, password, schema));
        // MapServer 8 reads its settings (here: which mapfile) from a config file named in the environment.
        Path msConf = dir.resolve("mapserver.conf");
        Files.writeString(msConf, "CONFIG\n  ENV\n    MS_MAPFILE \"" + map + "\"\n  END\nEND\n");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path conf = dir.resolve("lighttpd.conf");
        Files.writeString(conf, """
                server.document-root = "%1$s"
                server.bind = "127.0.0.1"
                server.port = %2$d
                server.pid-file = "%1$s/lighttpd.pid"
                server.errorlog = "%1$s/error.log"
                server.max-connections = 256
                server.modules = ("mod_fastcgi")
                fastcgi.server = ("/mapserv" => ((
                    "bin-path" => "/usr/lib/cgi-bin/mapserv",
                    "socket" => "%1$s/mapserv.sock",
                    "max-procs" => %3$d,
                    "check-local" => "disable",
                    "bin-environment" => ("MAPSERVER_CONFIG_FILE" => "%4$s")
                )))
                """.formatted(dir, port, processes, msConf));
        for (Path f : new Path[] {map, conf, msConf}) {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        }
        Process p = new ProcessBuilder("/usr/sbin/lighttpd", "-D", "-f", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("lighttpd.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                break;
            } catch (IOException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IOException("lighttpd did not start: " + Files.readString(dir.resolve("lighttpd.out")));
                }
                Thread.sleep(100);
            }
        }
        return new MapServerPeer(p, port);
    }

    String tileUrl(int z, int x, int y) {
        return "http://127.0.0.1:" + port + "/mapserv?mode=tile&tilemode=gmap&tile=" + x + "+" + y + "+" + z
                + "&layers=layer0&map.imagetype=mvt";
    }

    @Override
    public void close() throws InterruptedException {
        lighttpd.destroy();
        if (!lighttpd.waitFor(10, TimeUnit.SECONDS)) {
            lighttpd.destroyForcibly();
        }
    }
}

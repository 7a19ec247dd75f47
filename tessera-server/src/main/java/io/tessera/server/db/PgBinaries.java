package io.tessera.server.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the PostgreSQL server binaries (initdb, pg_ctl) of a version that has PostGIS installed:
 * {@code TESSERA_PG_BIN} if set, else Debian's {@code /usr/lib/postgresql/<v>/bin}, newest first.
 */
public record PgBinaries(Path binDir) {

    public Path initdb() {
        return binDir.resolve("initdb");
    }

    public Path pgCtl() {
        return binDir.resolve("pg_ctl");
    }

    public static PgBinaries locate(String override) {
        if (override != null && !override.isBlank()) {
            Path dir = Path.of(override);
            if (!Files.isExecutable(dir.resolve("pg_ctl"))) {
                throw new IllegalStateException("TESSERA_PG_BIN=" + override + " has no pg_ctl");
            }
            return new PgBinaries(dir);
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                Optional<Path> best = versions
                        .filter(v -> Files.isExecutable(v.resolve("bin/pg_ctl")))
                        .filter(v -> hasPostgis(v.getFileName().toString()))
                        .max(Comparator.comparingInt(v -> parseVersion(v.getFileName().toString())));
                if (best.isPresent()) {
                    return new PgBinaries(best.get().resolve("bin"));
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot list " + root, e);
            }
        }
        throw new IllegalStateException("No PostgreSQL with PostGIS found under /usr/lib/postgresql. "
                + "Install Debian's postgresql-15 and postgresql-15-postgis-3 (bin/tessera does it), "
                + "or set TESSERA_PG_BIN, or point TESSERA_DATABASE_URL at an external PostGIS.");
    }

    private static boolean hasPostgis(String version) {
        return Files.exists(Path.of("/usr/share/postgresql", version, "extension", "postgis.control"));
    }

    private static int parseVersion(String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

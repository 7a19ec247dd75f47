package io.tessera.server.imports;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.server.auth.User;
import io.tessera.server.db.Platform;
import io.tessera.server.db.RoleConnection;
import io.tessera.server.testing.TestPostgis;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus (src/test/resources/imports/corpus.tsv: file → expected state, error code, rows)
 * through the real pipeline into the real PostGIS. Every failure must leave no table, no dataset and
 * nothing in staging.
 */
class ImportCorpusTest {
    /** One row of corpus.tsv. */
    record Case(String file, String state, Integer code, Long rows, String what) {
        @Override
        public String toString() {
            return file + " → " + state + (code == null ? "" : " " + code) + " (" + what + ")";
        }
    }

    @TempDir
    static Path work;
    private static Platform platform;
    private static User user;
    private static ImportPipeline pipeline;

    @BeforeAll
    static void setUp() {
        platform = TestPostgis.platform();
        user = TestPostgis.newUser("corpus").user();
        ImportSettings settings = ImportSettings.load(Map.of("TESSERA_IMPORT_MAX_UNPACKED_BYTES", String.valueOf(20L << 20),
                "TESSERA_IMPORT_MAX_RECORD_BYTES", String.valueOf(8L << 20)), work);
        pipeline = new ImportPipeline(platform, settings);
    }

    static Stream<Case> corpus() throws IOException {
        List<Case> out = new ArrayList<>();
        try (InputStream in = ImportCorpusTest.class.getResourceAsStream("/imports/corpus.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                out.add(new Case(f[0], f[1], f[2].isEmpty() ? null : Integer.valueOf(f[2]),
                        f[3].isEmpty() ? null : Long.valueOf(f[3]), f[4]));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void importsAsTheCorpusSays(Case c) throws Exception {
        Path file = stage(c.file());
        int datasetsBefore = datasets();
        List<String> tablesBefore = tables(user.schema());
        try {
            ImportPipeline.Result r = run(file, ImportOptions.defaults());
            assertThat(c.state()).as("import succeeded").isEqualTo("complete");
            assertThat(r.tables().stream().mapToLong(Publisher.Published::rows).sum()).isEqualTo(c.rows());
            for (Publisher.Published p : r.tables()) {
                assertThat(count(p.name())).isEqualTo(p.rows());
            }
            assertThat(datasets()).isEqualTo(datasetsBefore + r.tables().size());
        } catch (ImportFailure f) {
            assertThat(c.state()).as("import failed with " + f.code() + ": " + f.getMessage()).isEqualTo("failure");
            assertThat(f.code()).as(f.getMessage()).isEqualTo(c.code());
            assertThat(tables(user.schema())).isEqualTo(tablesBefore);
            assertThat(datasets()).isEqualTo(datasetsBefore);
        }
        assertThat(tables(StagingArea.schemaOf(user))).as("staging is empty").isEmpty();
    }

    /** Copies a corpus file into a fresh work directory, or generates the ones too big to commit. */
    private static Path stage(String name) throws IOException {
        Path dir = Files.createDirectories(work.resolve(UUID.randomUUID().toString()).resolve("upload"));
        if (name.equals("@zip_bomb.zip")) {
            Path f = dir.resolve("zip_bomb.zip");
            try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
                z.putNextEntry(new ZipEntry("bomb.csv"));
                byte[] zeros = new byte[1 << 20];
                for (int i = 0; i < 64; i++) {
                    z.write(zeros); // 64 MB of zeros, ~64 KB compressed; the limit here is 20 MB
                }
                z.closeEntry();
            }
            return f;
        }
        if (name.equals("@long_line.csv")) {
            Path f = dir.resolve("long_line.csv");
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(f))) {
                out.write("a,b\n".getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = "x".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < 100; i++) {
                    out.write(chunk);
                }
            }
            return f;
        }
        Path f = dir.resolve(name);
        try (InputStream in = ImportCorpusTest.class.getResourceAsStream("/imports/" + name)) {
            Files.copy(in, f);
        }
        return f;
    }

    static long count(String table) throws SQLException {
        try (RoleConnection rc = platform.pools().connect(user.ownerRole()); Statement s = rc.jdbc().createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM \"" + user.schema() + "\".\"" + table + "\"")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static int datasets() throws SQLException {
        try (RoleConnection rc = platform.pools().connect(user.ownerRole()); Statement s = rc.jdbc().createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM cartodb._tessera_datasets()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static List<String> tables(String schema) throws SQLException {
        List<String> out = new ArrayList<>();
        try (RoleConnection rc = platform.pools().connect(user.ownerRole()); Statement s = rc.jdbc().createStatement();
             ResultSet rs = s.executeQuery("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                     + " WHERE c.relkind = 'r' AND n.nspname = '" + schema + "' ORDER BY 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static ImportPipeline.Result run(Path file, ImportOptions options) throws ImportFailure, SQLException {
        return run(pipeline, user, file, options);
    }

    /** Runs the pipeline on a connection of the user's owner role, as the import job does. */
    static ImportPipeline.Result run(ImportPipeline pipeline, User user, Path file, ImportOptions options)
            throws ImportFailure, SQLException {
        try (RoleConnection rc = platform().pools().connect(user.ownerRole())) {
            return pipeline.run(user, rc.jdbc(), file, UUID.randomUUID().toString(), options, new NoListener());
        }
    }

    private static Platform platform() {
        return TestPostgis.platform();
    }

    /** A listener that ignores progress. */
    static final class NoListener implements ImportPipeline.Listener {
        @Override
        public void state(String state) {
        }

        @Override
        public void rows(long rows) {
        }
    }
}

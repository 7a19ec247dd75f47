package io.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.cli.CliContext;
import io.tessera.cli.CliMain;
import io.tessera.client.CartoException;
import io.tessera.client.auth.ApiKeyAuthClient;
import io.tessera.client.datasets.Dataset;
import io.tessera.client.datasets.DatasetManager;
import io.tessera.client.datasets.Table;
import io.tessera.client.datasets.TableManager;
import io.tessera.client.datasets.VisualizationManager;
import io.tessera.client.imports.FileImportJob;
import io.tessera.client.imports.FileImportJobManager;
import io.tessera.client.imports.ImportSource;
import io.tessera.server.auth.Accounts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK (FileImportJobManager, DatasetManager, TableManager …) and the CLI (import, datasets) end to end. */
class ImportSdkCliTest {
    private static Accounts.Created alice;
    private static ApiKeyAuthClient auth;

    @TempDir
    Path home;

    @BeforeAll
    static void setUp() {
        alice = TesseraHarness.newUser("sdk");
        auth = new ApiKeyAuthClient(TesseraHarness.baseUrl(alice.user().username()), alice.masterKey());
    }

    private Path resource(String name) throws Exception {
        Path f = home.resolve(name);
        try (InputStream in = ImportSdkCliTest.class.getResourceAsStream("/imports/" + name)) {
            Files.copy(in, f);
        }
        return f;
    }

    @Test
    void datasetManagerImportsSavesAndDeletes() throws Exception {
        DatasetManager datasets = new DatasetManager(auth);
        List<Long> uploaded = new ArrayList<>();
        Dataset d = datasets.create(ImportSource.of(resource("points.geojson")), Map.of("table_name", "sdk points"),
                Duration.ofMinutes(2), (sent, total) -> uploaded.add(sent), job -> { });
        assertThat(uploaded).isNotEmpty();
        assertThat(d.name()).isEqualTo("sdk_points");
        assertThat(d.rowCount()).isEqualTo(3);
        assertThat(d.geometryTypes()).containsExactly("ST_Point", "ST_Polygon");
        assertThat(datasets.all()).extracting(Dataset::name).contains("sdk_points");

        Dataset saved = d.setPrivacy("public").save();
        assertThat(saved.privacy()).isEqualTo("PUBLIC");
        assertThat(datasets.get("sdk_points").privacy()).isEqualTo("PUBLIC");
        Table t = new TableManager(auth).get(d.tableId());
        assertThat(t.tableVisualizationId()).isEqualTo(d.id());
        assertThat(t.schema().get(0)).containsExactly("cartodb_id", "number");
        assertThat(new VisualizationManager(auth).all()).isEmpty();

        d.delete();
        assertThatThrownBy(() -> datasets.get("sdk_points")).isInstanceOf(CartoException.class);
    }

    @Test
    void fileImportJobsReportFailures() throws Exception {
        FileImportJobManager imports = new FileImportJobManager(auth);
        FileImportJob job = imports.create(new ImportSource.Stream(() -> new ByteArrayInputStream(new byte[0]), "empty.csv", 0), Map.of())
                .await(Duration.ofMinutes(1), Duration.ofMillis(100), j -> { });
        assertThat(job.success()).contains(false);
        assertThat(job.errorCode()).contains(1005);
        assertThat(job.errorText()).hasValueSatisfying(t -> assertThat(t).startsWith("Empty file"));
        assertThat(imports.all()).extracting(FileImportJob::id).doesNotContain(job.id());
        assertThat(imports.get(job.id()).state()).isEqualTo("failure");
    }

    private record Run(int code, String out, String err) {
    }

    private Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliContext ctx = new CliContext(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), home);
        int code = CliMain.run(ctx, args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void cliImportsAndManagesDatasets() throws Exception {
        String base = TesseraHarness.baseUrl(alice.user().username());
        String port = base.replaceAll(".*:(\\d+)/.*", "$1");
        // the classic import tool's flags: -f FILE -k KEY -u USER (+ --base-url naming no user)
        Run r = cli("import", "-f", resource("streets_shp.zip").toString(), "-k", alice.masterKey(), "-u", alice.user().username(),
                "--base-url", "http://127.0.0.1:" + port + "/", "--privacy", "link", "--table-name", "cli streets");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("uploading 100%").contains("import complete");
        assertThat(r.out()).startsWith("cli_streets\t");

        Run list = cli("datasets", "list", "--base-url", base, "-k", alice.masterKey());
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out()).contains("cli_streets\tLINK\t2\t");
        assertThat(cli("datasets", "privacy", "cli_streets", "private", "--base-url", base, "-k", alice.masterKey()).out())
                .isEqualTo("cli_streets\tPRIVATE\n");
        assertThat(cli("datasets", "rename", "cli_streets", "streets2", "--base-url", base, "-k", alice.masterKey()).out())
                .isEqualTo("streets2\n");
        Run show = cli("datasets", "show", "streets2", "--base-url", base, "-k", alice.masterKey());
        assertThat(show.out()).contains("\"name\" : \"streets2\"");
        assertThat(cli("datasets", "rm", "streets2", "--base-url", base, "-k", alice.masterKey()).code()).isZero();
        assertThat(cli("datasets", "list", "--base-url", base, "-k", alice.masterKey()).out()).doesNotContain("streets2");

        Run bad = cli("import", "-f", resource("not_geojson.json").toString(), "--base-url", base, "-k", alice.masterKey());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("import failed with error 3007");
    }
}

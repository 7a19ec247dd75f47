package io.tessera.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** A hermetic {@link CliContext} for tests: captured output, a given environment, a temporary home. */
final class TestContext {

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final CliContext ctx;

    TestContext(Map<String, String> env, Path home) {
        this(env, home, "");
    }

    TestContext(Map<String, String> env, Path home, String stdin) {
        ctx = new CliContext(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env, home);
    }

    int run(String... args) {
        return CliMain.run(ctx, args);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}

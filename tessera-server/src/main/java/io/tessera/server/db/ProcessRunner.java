package io.tessera.server.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a PostgreSQL tool with an argument list (never a shell string), as the cluster's system user.
 * When Tessera runs as root, every command is prefixed with {@code runuser -u postgres --}, because
 * {@code initdb} and {@code postgres} refuse to run as root.
 */
final class ProcessRunner {
    private final String runAsUser;

    ProcessRunner(String runAsUser) {
        this.runAsUser = runAsUser;
    }

    /** The output and exit code of a finished command. */
    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    Result run(List<String> command, Map<String, String> env, Path workDir, long timeoutSeconds) throws IOException {
        List<String> full = new ArrayList<>();
        if (runAsUser != null) {
            full.addAll(List.of("runuser", "-u", runAsUser, "--"));
        }
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        pb.environment().putAll(env);
        // Child tools must not inherit a locale the cluster user's environment lacks.
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out;
        try (var in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}

package io.tessera.server.db;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * The embedded cluster's admin password and the server secret that role passwords are derived from
 * (decisions: security 1 and 3). Generated at first start and kept in a file of mode 0600; never logged.
 */
public record Secrets(String adminPassword, String serverSecret) {
    private static final SecureRandom RANDOM = new SecureRandom();

    public static Secrets loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            String admin = p.getProperty("admin.password");
            String secret = p.getProperty("server.secret");
            if (admin == null || secret == null) {
                throw new IOException(file + " is incomplete: it needs admin.password and server.secret");
            }
            return new Secrets(admin, secret);
        }
        Secrets s = new Secrets(randomToken(), randomToken());
        Properties p = new Properties();
        p.setProperty("admin.password", s.adminPassword);
        p.setProperty("server.secret", s.serverSecret);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING)) {
            p.store(w, "Tessera secrets: keep private");
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return s;
    }

    public static String randomToken() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    @Override
    public String toString() {
        return "Secrets[hidden]";
    }
}

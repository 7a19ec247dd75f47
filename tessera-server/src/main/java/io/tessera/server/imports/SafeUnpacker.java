package io.tessera.server.imports;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Unpacks zip and gzip archives under the rules of security decision 14: the bytes actually inflated and
 * the entries are counted against limits (a zip bomb stops at the limit, whatever its headers claim);
 * entry names with {@code ..}, absolute paths or drive letters are refused; entries are always written as
 * regular files under the target directory (links are never created); one level of nesting only.
 */
public final class SafeUnpacker {
    private final long maxBytes;
    private final int maxEntries;
    private long inflated;
    private int entries;

    public SafeUnpacker(long maxBytes, int maxEntries) {
        this.maxBytes = maxBytes;
        this.maxEntries = maxEntries;
    }

    /** Unpacks {@code archive} into {@code dir}, and any archive inside it once more (one level). */
    public void unpack(Path archive, SourceFormat format, Path dir) throws ImportFailure, IOException {
        Files.createDirectories(dir);
        unpackOne(archive, format, dir);
        try (var files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                SourceFormat inner = FormatDetector.detect(p);
                if (inner.archive()) {
                    Path sub = dir.resolve("_nested_" + entries);
                    unpackOne(p, inner, sub);
                    Files.delete(p);
                }
            }
        }
    }

    private void unpackOne(Path archive, SourceFormat format, Path dir) throws ImportFailure, IOException {
        Files.createDirectories(dir);
        try (InputStream raw = Files.newInputStream(archive)) {
            if (format == SourceFormat.GZIP) {
                String name = archive.getFileName().toString();
                String inner = name.toLowerCase(Locale.ROOT).endsWith(".gz") ? name.substring(0, name.length() - 3) : name + ".out";
                entry();
                copy(new GZIPInputStream(raw, 65536), dir.resolve(safeName(inner)));
                return;
            }
            try (ZipInputStream zip = new ZipInputStream(raw)) {
                ZipEntry e;
                while ((e = zip.getNextEntry()) != null) {
                    entry();
                    Path target = resolve(dir, e.getName());
                    if (e.isDirectory()) {
                        Files.createDirectories(target);
                        continue;
                    }
                    Files.createDirectories(target.getParent());
                    copy(zip, target);
                }
            }
        } catch (ZipException | java.io.EOFException e) {
            throw new ImportFailure(ImportErrorCodes.DECOMPRESSION, "corrupt archive: " + e.getMessage(), e);
        }
    }

    private void entry() throws ImportFailure {
        if (++entries > maxEntries) {
            throw new ImportFailure(ImportErrorCodes.DECOMPRESSION, "archive has more than " + maxEntries + " entries");
        }
    }

    static Path resolve(Path dir, String entryName) throws ImportFailure {
        String n = entryName.replace('\\', '/');
        if (n.startsWith("/") || n.matches("^[A-Za-z]:.*") || n.contains("\0")) {
            throw new ImportFailure(ImportErrorCodes.DECOMPRESSION, "archive entry with an absolute path: " + entryName);
        }
        for (String part : n.split("/")) {
            if (part.equals("..")) {
                throw new ImportFailure(ImportErrorCodes.DECOMPRESSION, "archive entry pointing outside: " + entryName);
            }
        }
        Path target = dir.resolve(n).normalize();
        if (!target.startsWith(dir)) {
            throw new ImportFailure(ImportErrorCodes.DECOMPRESSION, "archive entry pointing outside: " + entryName);
        }
        return target;
    }

    private static String safeName(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.isEmpty() || s.startsWith(".") ? "file" + s : s;
    }

    private void copy(InputStream in, Path target) throws IOException, ImportFailure {
        byte[] buf = new byte[65536];
        try (OutputStream out = Files.newOutputStream(target)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                inflated += n;
                if (inflated > maxBytes) {
                    throw new ImportFailure(ImportErrorCodes.DECOMPRESSION,
                            "archive expands beyond the limit of " + maxBytes + " bytes");
                }
                out.write(buf, 0, n);
            }
        }
    }
}

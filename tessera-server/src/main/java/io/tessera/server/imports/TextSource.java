package io.tessera.server.imports;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A text file and the encoding it is read in. UTF-8 (with or without BOM) and UTF-16 with a BOM are read
 * as such; anything that is not valid UTF-8 is read as Windows-1252 (a superset of Latin-1's printable
 * characters), so Latin-1 files are converted rather than rejected. The first pass over a file reads it
 * strictly as UTF-8 and falls back when that fails ({@link #fallback()}).
 */
public final class TextSource {
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    private final Path file;
    private Charset charset;
    private boolean strict = true;

    public TextSource(Path file) throws IOException {
        this.file = file;
        byte[] bom;
        try (InputStream in = Files.newInputStream(file)) {
            bom = in.readNBytes(3);
        }
        if (bom.length >= 2 && ((bom[0] & 0xff) == 0xff && (bom[1] & 0xff) == 0xfe)) {
            charset = StandardCharsets.UTF_16LE;
        } else if (bom.length >= 2 && ((bom[0] & 0xff) == 0xfe && (bom[1] & 0xff) == 0xff)) {
            charset = StandardCharsets.UTF_16BE;
        } else {
            charset = StandardCharsets.UTF_8;
        }
    }

    public Path file() {
        return file;
    }

    public Charset charset() {
        return charset;
    }

    /** After a malformed-input failure of the strict UTF-8 pass: read as Windows-1252 from now on. */
    public boolean fallback() {
        if (charset != StandardCharsets.UTF_8 || !strict) {
            return false;
        }
        charset = WINDOWS_1252;
        strict = false;
        return true;
    }

    /** A reader in the current encoding, past any byte-order mark; strict UTF-8 reports malformed input. */
    public Reader open() throws IOException {
        InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16);
        int bomLength = charset == StandardCharsets.UTF_8 ? 3 : charset.name().startsWith("UTF-16") ? 2 : 0;
        if (bomLength > 0) {
            in.mark(4);
            byte[] b = in.readNBytes(bomLength);
            boolean isBom = bomLength == 3 ? b.length == 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf
                    : b.length == 2;
            if (!isBom) {
                in.reset();
            }
        }
        CharsetDecoder d = charset.newDecoder();
        CodingErrorAction action = strict && charset == StandardCharsets.UTF_8 ? CodingErrorAction.REPORT : CodingErrorAction.REPLACE;
        d.onMalformedInput(action).onUnmappableCharacter(action);
        return new InputStreamReader(in, d);
    }
}

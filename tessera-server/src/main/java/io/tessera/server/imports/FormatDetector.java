package io.tessera.server.imports;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Decides a file's format by content first (zip, gzip, SQLite/GeoPackage, shapefile, XML roots, JSON)
 * and by name for plain text, as CARTO's importer accepts {@code .csv .tsv .txt .json .geojson .kml .kmz
 * .gpx .gpkg .shp .xlsx .zip .gz}. Binary content under a text name is refused (1002), not guessed.
 */
public final class FormatDetector {
    private static final int SNIFF = 8192;

    private FormatDetector() {
    }

    public static SourceFormat detect(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(SNIFF);
        }
        return detect(head, file.getFileName().toString());
    }

    static SourceFormat detect(byte[] head, String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (head.length == 0) {
            return SourceFormat.EMPTY;
        }
        if (startsWith(head, 'P', 'K', 3, 4)) {
            return n.endsWith(".xlsx") ? SourceFormat.XLSX : SourceFormat.ZIP;
        }
        if (startsWith(head, 0x1f, 0x8b)) {
            return SourceFormat.GZIP;
        }
        if (new String(head, 0, Math.min(16, head.length), StandardCharsets.ISO_8859_1).equals("SQLite format 3\0")) {
            return SourceFormat.GPKG;
        }
        if (startsWith(head, 0, 0, 0x27, 0x0a)) {
            return SourceFormat.SHP;
        }
        if (!looksLikeText(head)) {
            return SourceFormat.UNKNOWN;
        }
        String text = new String(head, StandardCharsets.ISO_8859_1).replace("\u00ef\u00bb\u00bf", "").stripLeading();
        if (text.startsWith("{") || text.startsWith("[")) {
            return SourceFormat.GEOJSON;
        }
        if (text.startsWith("<")) {
            String lower = text.toLowerCase(Locale.ROOT);
            if (lower.contains("<kml")) {
                return SourceFormat.KML;
            }
            if (lower.contains("<gpx")) {
                return SourceFormat.GPX;
            }
            return SourceFormat.UNKNOWN;
        }
        if (n.endsWith(".tsv") || n.endsWith(".tab")) {
            return SourceFormat.TSV;
        }
        if (n.endsWith(".csv") || n.endsWith(".txt") || !n.contains(".")) {
            return SourceFormat.CSV;
        }
        if (n.endsWith(".json") || n.endsWith(".geojson") || n.endsWith(".js")) {
            return SourceFormat.GEOJSON;
        }
        return SourceFormat.UNKNOWN;
    }

    /** Text has no NUL bytes and few control characters (any 8-bit encoding passes). */
    static boolean looksLikeText(byte[] head) {
        int control = 0;
        for (byte b : head) {
            int c = b & 0xff;
            if (c == 0) {
                return false;
            }
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') {
                control++;
            }
        }
        return control * 100 <= head.length;
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}

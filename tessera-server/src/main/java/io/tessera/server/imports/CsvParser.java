package io.tessera.server.imports;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming CSV/TSV record reader: RFC 4180 quoting ({@code ""} inside quotes), CR, LF or CRLF line
 * ends, and whether each field was quoted (for {@code quoted_fields_guessing=false}). A record longer
 * than the limit fails as Malformed CSV (2003) instead of growing without bound.
 */
public final class CsvParser {
    private final Reader in;
    private final char delimiter;
    private final int maxRecordChars;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int len;
    private final StringBuilder field = new StringBuilder();
    private final List<String> fields = new ArrayList<>();
    private final List<Boolean> quoted = new ArrayList<>();
    private long records;

    public CsvParser(Reader in, char delimiter, int maxRecordChars) {
        this.in = in;
        this.delimiter = delimiter;
        this.maxRecordChars = maxRecordChars;
    }

    /** The fields of the current record (valid until the next call). */
    public List<String> fields() {
        return fields;
    }

    public boolean quoted(int i) {
        return quoted.get(i);
    }

    public long records() {
        return records;
    }

    private int read() throws IOException {
        if (pos == len) {
            len = in.read(buf, 0, buf.length);
            pos = 0;
            if (len <= 0) {
                len = 0;
                return -1;
            }
        }
        return buf[pos++];
    }

    private void unread() {
        pos--;
    }

    /** Reads the next record; false at the end of input. Blank lines are skipped. */
    public boolean next() throws IOException, ImportFailure {
        while (true) {
            fields.clear();
            quoted.clear();
            int size = 0;
            int c = read();
            if (c == -1) {
                return false;
            }
            if (c == '\n') {
                continue;
            }
            if (c == '\r') {
                int d = read();
                if (d != '\n' && d != -1) {
                    unread();
                }
                continue;
            }
            unread();
            boolean end = false;
            while (!end) {
                field.setLength(0);
                boolean q = false;
                c = read();
                if (c == '"') {
                    q = true;
                    while (true) {
                        c = read();
                        if (c == -1) {
                            throw new ImportFailure(ImportErrorCodes.MALFORMED_CSV, "unterminated quoted field at record " + (records + 1));
                        }
                        if (c == '"') {
                            int d = read();
                            if (d == '"') {
                                field.append('"');
                                continue;
                            }
                            if (d != -1) {
                                unread();
                            }
                            break;
                        }
                        field.append((char) c);
                        if (++size > maxRecordChars) {
                            throw tooLong();
                        }
                    }
                    c = read();
                }
                while (c != -1 && c != delimiter && c != '\n' && c != '\r') {
                    field.append((char) c);   // text after a closing quote, or an unquoted field
                    if (++size > maxRecordChars) {
                        throw tooLong();
                    }
                    c = read();
                }
                fields.add(field.toString());
                quoted.add(q);
                if (c == '\r') {
                    int d = read();
                    if (d != '\n' && d != -1) {
                        unread();
                    }
                    end = true;
                } else if (c == '\n' || c == -1) {
                    end = true;
                }
            }
            records++;
            return true;
        }
    }

    private ImportFailure tooLong() {
        return new ImportFailure(ImportErrorCodes.MALFORMED_CSV,
                "record " + (records + 1) + " is longer than " + maxRecordChars + " characters");
    }

    /** The delimiter of a header line: the most frequent of {@code , ; TAB |} outside quotes (comma on ties). */
    public static char guessDelimiter(String headerLine) {
        char[] candidates = {',', ';', '\t', '|'};
        int[] counts = new int[candidates.length];
        boolean inQuotes = false;
        for (char ch : headerLine.toCharArray()) {
            if (ch == '"') {
                inQuotes = !inQuotes;
            } else if (!inQuotes) {
                for (int i = 0; i < candidates.length; i++) {
                    if (ch == candidates[i]) {
                        counts[i]++;
                    }
                }
            }
        }
        int best = 0;
        for (int i = 1; i < candidates.length; i++) {
            if (counts[i] > counts[best]) {
                best = i;
            }
        }
        return candidates[best];
    }
}

package io.tessera.server.copy;

import io.tessera.server.sql.SqlApiErrors;
import io.tessera.server.sql.SqlScript;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks the {@code q} of a COPY request (sql-api.md §5, decisions: security 9): it must start with
 * {@code COPY } (CARTO's check, upper-cased, no leading space) and be exactly one statement, copying from
 * STDIN (copyfrom) or to STDOUT (copyto); never a server-side file or program.
 */
final class CopyStatement {
    private static final Pattern FROM_STDIN = Pattern.compile("(?is)\\bFROM\\s+STDIN\\b");
    private static final Pattern TO_STDOUT = Pattern.compile("(?is)\\bTO\\s+STDOUT\\b");
    private static final Pattern SERVER_SIDE = Pattern.compile("(?is)\\b(FROM|TO)\\s+(PROGRAM\\b|')");

    private CopyStatement() {
    }

    static String copyFrom(String q) {
        return check(q, FROM_STDIN, "COPY FROM STDIN");
    }

    static String copyTo(String q) {
        return check(q, TO_STDOUT, "COPY TO STDOUT");
    }

    private static String check(String q, Pattern direction, String what) {
        if (q == null || q.isEmpty()) {
            throw SqlApiErrors.badRequest("SQL is missing");
        }
        if (!q.toUpperCase(java.util.Locale.ROOT).startsWith("COPY ")) {
            throw SqlApiErrors.badRequest("SQL must start with COPY");
        }
        List<String> statements = SqlScript.split(q);
        if (statements.size() != 1 || !direction.matcher(q).find() || SERVER_SIDE.matcher(q).find()) {
            throw SqlApiErrors.badRequest("SQL must be a single " + what + " statement");
        }
        return statements.get(0);
    }
}

package io.tessera.server.sql;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.sql.SQLWarning;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.postgresql.util.PSQLWarning;

/**
 * Server notices of a request, grouped by severity in first-seen order, written after
 * {@code total_rows} as {@code "notices":[…]}, {@code "warnings":[…]}, {@code "infos":[…]} …
 */
public final class Notices {
    // "there is already a transaction in progress": our own implicit BEGIN meeting the script's BEGIN.
    private static final String ACTIVE_TRANSACTION = "25001";
    private final Map<String, List<String>> bySeverity = new LinkedHashMap<>();
    private final Set<SQLWarning> seen = Collections.newSetFromMap(new IdentityHashMap<>());

    public void collect(SQLWarning w) {
        for (; w != null; w = w.getNextWarning()) {
            if (!seen.add(w) || ACTIVE_TRANSACTION.equals(w.getSQLState())) {
                continue;
            }
            String severity = "NOTICE";
            String message = w.getMessage();
            if (w instanceof PSQLWarning p && p.getServerErrorMessage() != null) {
                severity = p.getServerErrorMessage().getSeverity();
                message = p.getServerErrorMessage().getMessage();
            }
            bySeverity.computeIfAbsent(severity.toLowerCase(Locale.ROOT) + "s", k -> new ArrayList<>()).add(message);
        }
    }

    public void write(JsonGenerator g) throws IOException {
        for (Map.Entry<String, List<String>> e : bySeverity.entrySet()) {
            g.writeArrayFieldStart(e.getKey());
            for (String m : e.getValue()) {
                g.writeString(m);
            }
            g.writeEndArray();
        }
    }
}

package io.tessera.client.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A user table as {@code GET api/v1/tables/:id} describes it (carto-python's {@code Table}).
 *
 * @param fields every field of the answer
 */
public record Table(JsonNode fields) {
    public String id() {
        return fields.path("id").asText();
    }

    public String name() {
        return fields.path("name").asText();
    }

    public String privacy() {
        return fields.path("privacy").asText();
    }

    public long rowsCounted() {
        return fields.path("rows_counted").asLong();
    }

    /** The id of the table's canonical visualization (its dataset). */
    public String tableVisualizationId() {
        return fields.path("table_visualization").path("id").asText();
    }

    /** {@code [column, cartodb type]} pairs, geometry columns with their geometry type appended. */
    public List<List<String>> schema() {
        List<List<String>> out = new ArrayList<>();
        fields.path("schema").forEach(c -> {
            List<String> col = new ArrayList<>();
            c.forEach(v -> col.add(v.asText()));
            out.add(col);
        });
        return out;
    }
}

package io.tessera.client.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.client.CartoException;
import io.tessera.client.auth.AuthClient;
import java.util.ArrayList;
import java.util.List;

/**
 * A dataset: a table and its canonical visualization (carto-python's {@code Dataset}). {@link #delete()} refuses
 * while maps depend on it, as the SDK does; {@link #forceDelete()} deletes anyway.
 */
public final class Dataset extends Visualization {
    Dataset(AuthClient auth, JsonNode fields) {
        super(auth, fields);
    }

    /** The user table's id ({@code table.id}), what {@code GET api/v1/tables/:id} takes. */
    public String tableId() {
        return fields.path("table").path("id").asText();
    }

    public long rowCount() {
        return fields.path("table").path("row_count").asLong();
    }

    public long size() {
        return fields.path("table").path("size").asLong();
    }

    public List<String> geometryTypes() {
        List<String> out = new ArrayList<>();
        fields.path("table").path("geometry_types").forEach(t -> out.add(t.asText()));
        return out;
    }

    @Override
    public void delete() {
        if (dependentVisualizationsCount() > 0) {
            throw new CartoException("This dataset has dependent visualizations: use forceDelete() to delete it anyway");
        }
        super.delete();
    }

    public void forceDelete() {
        super.delete();
    }

    @Override
    public Dataset setPrivacy(String privacy) {
        super.setPrivacy(privacy);
        return this;
    }

    @Override
    public Dataset save() {
        super.save();
        return this;
    }
}

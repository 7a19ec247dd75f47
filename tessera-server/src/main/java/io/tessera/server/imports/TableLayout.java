package io.tessera.server.imports;

import io.tessera.server.datasets.TableNames;
import io.tessera.server.db.AdminDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The staging table a Java loader creates and COPYs into. When no data column is called
 * {@code cartodb_id}, {@code the_geom} or {@code the_geom_webmercator}, the table is created already in
 * CDB_CartodbfyTable's shape (those three first, the web-mercator trigger in place), so cartodbfy only
 * adds keys and indexes and never rewrites the rows; otherwise cartodbfy gets a plain table and decides.
 */
public final class TableLayout {
    /** One data column: its normalised name and guessed type. */
    public record Col(String name, ColumnType type) {
    }

    private static final Set<String> CARTO_COLUMNS = Set.of("cartodb_id", "the_geom", "the_geom_webmercator");

    private final List<Col> data;
    private final boolean geometry;
    private final boolean cartodbShape;

    private TableLayout(List<Col> data, boolean geometry) {
        this.data = data;
        this.geometry = geometry;
        this.cartodbShape = data.stream().noneMatch(c -> CARTO_COLUMNS.contains(c.name()));
    }

    /** {@code geometry}: the loader writes hex EWKB into a {@code the_geom} column of its own. */
    public static TableLayout of(List<Col> data, boolean geometry) {
        return new TableLayout(data, geometry);
    }

    /** Normalised, de-duplicated names for raw headers; {@code the_geom} reserved when the loader makes it. */
    public static List<String> columnNames(List<String> raw, boolean reserveTheGeom) throws ImportFailure {
        if (raw.size() > 250) {
            throw new ImportFailure(ImportErrorCodes.TOO_MANY_COLUMNS, raw.size() + " columns (max 250)");
        }
        Set<String> taken = new HashSet<>();
        if (reserveTheGeom) {
            taken.add("the_geom");
            taken.add("the_geom_webmercator");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String n = TableNames.unique(TableNames.normalize(raw.get(i), "field_" + (i + 1)), taken::contains);
            taken.add(n);
            out.add(n);
        }
        return out;
    }

    public void create(Connection c, String schema, String table) throws SQLException {
        String rel = AdminDatabase.quoteIdent(schema) + "." + AdminDatabase.quoteIdent(table);
        StringBuilder sql = new StringBuilder("CREATE TABLE ").append(rel).append(" (");
        List<String> defs = new ArrayList<>();
        if (cartodbShape) {
            defs.add("cartodb_id serial");
            defs.add("the_geom public.geometry(Geometry,4326)");
            defs.add("the_geom_webmercator public.geometry(Geometry,3857)");
        } else if (geometry) {
            defs.add("the_geom public.geometry(Geometry,4326)");
        }
        for (Col col : data) {
            defs.add(AdminDatabase.quoteIdent(col.name()) + " " + col.type().sql());
        }
        sql.append(String.join(", ", defs)).append(')');
        try (Statement s = c.createStatement()) {
            s.execute(sql.toString());
            if (cartodbShape) {
                // The same trigger CDB_CartodbfyTable installs: it sees it and leaves the rows alone.
                s.execute("CREATE TRIGGER update_the_geom_webmercator_trigger BEFORE INSERT OR UPDATE OF the_geom ON " + rel
                        + " FOR EACH ROW EXECUTE FUNCTION cartodb._cdb_update_the_geom_webmercator()");
            }
        }
    }

    public String copySql(String schema, String table) {
        List<String> cols = new ArrayList<>();
        if (geometry) {
            cols.add("the_geom");
        }
        data.forEach(c -> cols.add(AdminDatabase.quoteIdent(c.name())));
        return "COPY " + AdminDatabase.quoteIdent(schema) + "." + AdminDatabase.quoteIdent(table)
                + " (" + cols.stream().collect(Collectors.joining(", ")) + ") FROM STDIN";
    }
}

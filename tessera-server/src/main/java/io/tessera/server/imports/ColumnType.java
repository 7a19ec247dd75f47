package io.tessera.server.imports;

import java.util.Locale;

/**
 * What a column is guessed to hold, as ogr2ogr's {@code AUTODETECT_TYPE=YES} with CARTO's options
 * decides (platform-api.md §1.6, the oracle of the tests): integers without leading zeros, 64-bit
 * integers, reals ({@code 1,5} is text), booleans, ISO dates and date-times; everything else is text.
 */
public enum ColumnType {
    INTEGER("integer"), BIGINT("bigint"), NUMERIC("numeric"), DOUBLE("double precision"), BOOLEAN("boolean"),
    DATE("date"), TIMESTAMP("timestamp with time zone"), TEXT("text");

    private final String sql;

    ColumnType(String sql) {
        this.sql = sql;
    }

    public String sql() {
        return sql;
    }

    /** The text to put in COPY for a value already known to fit this type. */
    public String copyValue(String v) {
        return switch (this) {
            case DATE, TIMESTAMP -> v.trim().replace('/', '-');
            case TEXT -> v;
            case INTEGER, BIGINT, NUMERIC, DOUBLE, BOOLEAN -> v.trim().toLowerCase(Locale.ROOT);
        };
    }
}

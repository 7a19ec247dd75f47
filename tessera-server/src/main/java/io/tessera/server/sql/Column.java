package io.tessera.server.sql;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * One result column: its name, PostgreSQL type (oid, typname, typmod), how its values serialise, and
 * whether the server sends them as text (the driver asks for some types in binary once it prepares a query).
 * {@link #writeFieldInfo} writes the column's entry of the JSON {@code fields} object with CARTO's
 * ordered type mapping (sql-api.md §2.2).
 */
public record Column(String name, int oid, String typname, int typmod, Kind kind, boolean text) {
    private static final int FIRST_USER_OID = 16384;
    private static final Set<String> SPATIAL = Set.of("geometry", "geography", "raster");
    private static final String[] WKB_TYPES = {"Unknown", "Point", "LineString", "Polygon", "MultiPoint",
        "MultiLineString", "MultiPolygon", "GeometryCollection", "CircularString", "CompoundCurve", "CurvePolygon",
        "MultiCurve", "MultiSurface", "PolyhedralSurface", "Triangle", "Tin"};

    /** How values of a column are written in JSON rows. */
    public enum Kind { BOOL, NUMBER, FLOAT, JSON, DATE, TIMESTAMP, TIMESTAMPTZ, INTERVAL, BYTEA, POINT, ARRAY, STRING }

    public static Column of(String name, int oid, String typname, int typmod, boolean text) {
        return new Column(name, oid, typname, typmod, kindOf(typname), text);
    }

    static Kind kindOf(String typname) {
        if (typname.startsWith("_")) {
            return Kind.ARRAY;
        }
        return switch (typname) {
            case "bool" -> Kind.BOOL;
            case "int2", "int4", "int8", "oid", "numeric" -> Kind.NUMBER;
            case "float4", "float8" -> Kind.FLOAT;
            case "json", "jsonb" -> Kind.JSON;
            case "date" -> Kind.DATE;
            case "timestamp" -> Kind.TIMESTAMP;
            case "timestamptz" -> Kind.TIMESTAMPTZ;
            case "interval" -> Kind.INTERVAL;
            case "bytea" -> Kind.BYTEA;
            case "point" -> Kind.POINT;
            default -> Kind.STRING;
        };
    }

    public boolean isSpatial() {
        return SPATIAL.contains(typname);
    }

    /** The type name CARTO's OID table knows, or null for types it does not (enums, hstore, …). */
    String cartoTypeName() {
        if (oid == 114) {
            return "JSON";
        }
        if (oid >= FIRST_USER_OID && !isSpatial()) {
            return null;
        }
        return typname;
    }

    /** CARTO's {@code type} for a typname: the first of bool, int|float|numeric, text|char|unknown, date|time that matches. */
    static String mappedType(String cname) {
        boolean array = cname.startsWith("_");
        String base = array ? cname.substring(1) : cname;
        String lower = base.toLowerCase(Locale.ROOT);
        String t;
        if (lower.contains("bool")) {
            t = "boolean";
        } else if (lower.contains("int") || lower.contains("float") || lower.contains("numeric")) {
            t = "number";
        } else if (lower.contains("text") || lower.contains("char") || lower.contains("unknown")) {
            t = "string";
        } else if (lower.contains("date") || lower.contains("time")) {
            t = "date";
        } else {
            t = base;
        }
        return array ? t + "[]" : t;
    }

    public void writeFieldInfo(JsonGenerator g) throws IOException {
        g.writeObjectFieldStart(name);
        if (isSpatial()) {
            g.writeStringField("type", typname);
            if (typmod == -1 || typname.equals("raster")) {
                g.writeNumberField("dims", 4);
                g.writeNumberField("srid", -1);
            } else {
                int type = (typmod & 0xFC) >> 2;
                int dims = 2 + ((typmod & 0x02) >> 1) + (typmod & 0x01);
                int srid = ((typmod & 0x0FFFFF00) - (typmod & 0x08000000)) >> 8;
                g.writeStringField("wkbtype", type < WKB_TYPES.length ? WKB_TYPES[type] : "Unknown");
                g.writeNumberField("dims", dims);
                g.writeNumberField("srid", srid);
            }
        } else {
            String cname = cartoTypeName();
            if (cname == null) {
                g.writeStringField("type", "unknown(" + oid + ")");
            } else {
                g.writeStringField("type", mappedType(cname));
                g.writeStringField("pgtype", cname);
            }
        }
        g.writeEndObject();
    }
}

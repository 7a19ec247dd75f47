package io.tessera.server.sql;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code format=arraybuffer} (sql-api.md §2.5): the last result, column by column, in
 * {@link ArrayBufferLayout}. The layout puts each column's values together, so the rows are held until the
 * last one, at most {@code TESSERA_EXPORT_MAX_ROWS} of them. As in CARTO, the first row decides each column's
 * type: a string makes a string column; a number or boolean a number column (float32 unless the name asks
 * otherwise, {@code pop__uint16}); anything else (an array) a column of number blocks. No rows: an empty body.
 */
final class ArrayBufferResultWriter implements ResultWriter {
    private final SqlResponse response;
    private final int maxRows;
    private List<String> names = List.of();
    private List<Object[]> rows = new ArrayList<>();

    ArrayBufferResultWriter(SqlResponse response, int maxRows) {
        this.response = response;
        this.maxRows = maxRows;
    }

    @Override
    public long consume(ResultSet rs, ResultColumns columns) throws SQLException {
        int[] visible = columns.visible();
        names = new ArrayList<>();
        for (int i : visible) {
            names.add(columns.column(i).name());
        }
        rows = new ArrayList<>(); // only the last result is written
        while (rs.next()) {
            if (rows.size() == maxRows) {
                throw SqlApiErrors.badRequest(TopoJsonResultWriter.tooManyRows("arraybuffer", maxRows));
            }
            Object[] row = new Object[visible.length];
            for (int k = 0; k < visible.length; k++) {
                row[k] = value(rs, visible[k], columns.column(visible[k]));
            }
            rows.add(row);
        }
        return rows.size();
    }

    /** The value as node-pg hands it to CARTO's encoder: a number, a boolean, a string, or an array. */
    private static Object value(ResultSet rs, int i, Column c) throws SQLException {
        Object v = switch (c.kind()) {
            case NUMBER, FLOAT -> rs.getDouble(i);
            case BOOL -> rs.getBoolean(i);
            case ARRAY -> {
                Array a = rs.getArray(i);
                yield a == null ? null : a.getArray();
            }
            case STRING -> rs.getString(i);
            default -> rs.getObject(i);
        };
        return rs.wasNull() ? null : v;
    }

    @Override
    public void finish(QueryRunner.Outcome outcome, double seconds, Notices notices) throws IOException {
        if (rows.isEmpty()) {
            response.start().close();
            return;
        }
        if (names.contains("the_geom")) {
            throw SqlApiErrors.badRequest("geometry types are not supported");
        }
        List<byte[]> blocks = new ArrayList<>();
        blocks.add(ArrayBufferLayout.strings(names));
        for (int k = 0; k < names.size(); k++) {
            blocks.add(column(k));
        }
        byte[] all = ArrayBufferLayout.blocks(blocks);
        OutputStream out = response.start();
        out.write(all);
        out.close();
    }

    private byte[] column(int k) {
        Object first = rows.get(0)[k];
        String name = names.get(k);
        if (first instanceof String) {
            List<String> values = new ArrayList<>(rows.size());
            for (Object[] r : rows) {
                values.add(r[k] == null ? "" : r[k].toString());
            }
            return ArrayBufferLayout.strings(values);
        }
        int type = ArrayBufferLayout.hintedType(name);
        if (first instanceof Number || first instanceof Boolean) {
            double[] values = new double[rows.size()];
            for (int r = 0; r < values.length; r++) {
                values[r] = number(rows.get(r)[k], name);
            }
            return ArrayBufferLayout.numbers(type, values);
        }
        List<byte[]> blocks = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            blocks.add(ArrayBufferLayout.numbers(type, numbers(r[k], name)));
        }
        return ArrayBufferLayout.blocks(blocks);
    }

    private static double number(Object v, String column) {
        return switch (v) {
            case null -> 0; // Node writes a null as 0
            case Number n -> n.doubleValue();
            case Boolean b -> b ? 1 : 0;
            default -> throw notSupported(column);
        };
    }

    private static double[] numbers(Object v, String column) {
        if (!(v instanceof Object[] elements)) {
            throw notSupported(column);
        }
        double[] out = new double[elements.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(elements[i], column);
        }
        return out;
    }

    private static RuntimeException notSupported(String column) {
        return SqlApiErrors.badRequest("arraybuffer: column \"" + column
                + "\" has values that are neither numbers, strings nor arrays of numbers");
    }

    @Override
    public void failMidStream(String message, double seconds, Notices notices) {
        throw new IllegalStateException("an arraybuffer is written only after its last row");
    }

    @Override
    public boolean started() {
        return response.started();
    }
}

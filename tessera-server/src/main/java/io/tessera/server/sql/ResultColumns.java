package io.tessera.server.sql;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.sql.ResultSet;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.Field;
import org.postgresql.core.TypeInfo;
import org.postgresql.jdbc.PgResultSetMetaData;

/**
 * The columns of one result set, with the column positions a JSON object should show: when names
 * repeat, the key stays at its first position and takes the last column's value (as a JS object
 * built row by row does). Skipped fields are dropped here, once.
 */
public final class ResultColumns {
    // pgjdbc keeps each column's oid and typmod in its metadata's Field array; there is no public getter for typmod.
    private static final VarHandle FIELDS;

    static {
        try {
            FIELDS = MethodHandles.privateLookupIn(PgResultSetMetaData.class, MethodHandles.lookup())
                    .findVarHandle(PgResultSetMetaData.class, "fields", Field[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final List<Column> all;
    private final int[] visible; // 1-based JDBC indexes of the columns to write, in key order

    private ResultColumns(List<Column> all, int[] visible) {
        this.all = all;
        this.visible = visible;
    }

    public static ResultColumns of(ResultSet rs, Set<String> skip) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        PgResultSetMetaData pg = md.unwrap(PgResultSetMetaData.class);
        Field[] fields = (Field[]) FIELDS.get(pg);
        // The type cache by oid, not getColumnTypeName(): that one reports int4 key columns as "serial".
        TypeInfo types = rs.getStatement().getConnection().unwrap(BaseConnection.class).getTypeInfo();
        List<Column> cols = new ArrayList<>(fields.length);
        for (int i = 0; i < fields.length; i++) {
            cols.add(Column.of(md.getColumnLabel(i + 1), fields[i].getOID(), types.getPGType(fields[i].getOID()), fields[i].getMod(),
                    fields[i].getFormat() == Field.TEXT_FORMAT));
        }
        Map<String, Integer> last = new HashMap<>();
        for (int i = 0; i < cols.size(); i++) {
            last.put(cols.get(i).name(), i);
        }
        List<Integer> order = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (Column c : cols) {
            if (!skip.contains(c.name()) && seen.add(c.name())) {
                order.add(last.get(c.name()) + 1);
            }
        }
        return new ResultColumns(cols, order.stream().mapToInt(Integer::intValue).toArray());
    }

    /** JDBC indexes (1-based) of the columns to write, in output order. */
    public int[] visible() {
        return visible;
    }

    public Column column(int jdbcIndex) {
        return all.get(jdbcIndex - 1);
    }

    /** Index of the last column with this name, or -1. */
    public int indexOf(String name) {
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).name().equals(name)) {
                return i + 1;
            }
        }
        return -1;
    }

    public List<Column> all() {
        return all;
    }
}

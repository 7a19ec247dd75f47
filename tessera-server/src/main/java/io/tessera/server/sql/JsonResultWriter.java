package io.tessera.server.sql;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The default JSON format (sql-api.md §2.1), streamed row by row in CARTO's exact key order:
 * {@code rows, time, fields, total_rows[, error][, notices…]}; JSONP-wrapped when asked.
 */
final class JsonResultWriter implements ResultWriter {
    private final SqlResponse response;
    private final ValueWriter values;
    private final String callback;
    private final int inlineRows;
    private JsonGenerator g;
    private JsonRowEncoder rows;
    private ResultColumns current;
    private long streamed;

    /** {@code inlineRows}: rows written before a reader thread starts reading ahead (one cursor fetch). */
    JsonResultWriter(SqlResponse response, ValueWriter values, String callback, int inlineRows) {
        this.response = response;
        this.values = values;
        this.callback = callback;
        this.inlineRows = inlineRows;
    }

    @Override
    public long consume(ResultSet rs, ResultColumns columns) throws SQLException, IOException {
        current = columns;
        JsonRowEncoder.Members members = new JsonRowEncoder.Members(columns, columns.visible());
        return RowPipe.drain(rs, columns, columns.visible(), values, inlineRows, row -> {
            begin();
            if (streamed > 0) {
                rows.raw((byte) ',');
            }
            rows.raw((byte) '{');
            members.write(rows, row);
            rows.raw((byte) '}');
            rows.flushIfFull();
            streamed++;
        });
    }

    /**
     * Opens the body at the first row: Jackson writes the envelope up to the rows array, the rows go through the
     * encoder (rows of every statement into the one array), Jackson writes the rest after them.
     */
    private void begin() throws IOException {
        if (g != null) {
            return;
        }
        g = response.startJson(callback);
        g.writeStartObject();
        g.writeArrayFieldStart("rows");
        g.flush();
        rows = new JsonRowEncoder(response.start(), values);
    }

    @Override
    public void finish(QueryRunner.Outcome outcome, double seconds, Notices notices) throws IOException {
        begin();
        end(seconds, outcome.lastColumns(), outcome.totalRows(), null, notices);
    }

    @Override
    public void failMidStream(String message, double seconds, Notices notices) throws IOException {
        end(seconds, current, streamed, message, notices);
    }

    private void end(double seconds, ResultColumns fields, long totalRows, String error, Notices notices) throws IOException {
        rows.flush(); // the array is empty as far as Jackson knows: it closes it with no separator
        g.writeEndArray();
        g.writeNumberField("time", seconds);
        g.writeObjectFieldStart("fields");
        if (fields != null) {
            for (int i : fields.visible()) {
                fields.column(i).writeFieldInfo(g);
            }
        }
        g.writeEndObject();
        g.writeNumberField("total_rows", totalRows);
        if (error != null) {
            g.writeArrayFieldStart("error");
            g.writeString(error);
            g.writeEndArray();
        }
        notices.write(g);
        g.writeEndObject();
        if (callback != null) {
            g.writeRaw(");");
        }
        g.close();
    }

    @Override
    public boolean started() {
        return response.started();
    }
}

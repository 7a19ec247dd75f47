package io.tessera.client.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The rows of a SQL API JSON answer, read one at a time from the body so that memory stays flat:
 * {@code {"rows":[…],"time":…,"fields":{…},"total_rows":…,"notices":[…]?,"error":[…]?}}. After the rows,
 * {@link #time()}, {@link #fields()}, {@link #totalRows()} and {@link #notices()} describe the result; reading one
 * of them first skips the rows left. When the server failed after it began streaming it appends {@code "error"}:
 * {@link #hasNext()} then throws {@link io.tessera.client.CartoException} (status 200) at the end of the rows, as do
 * the accessors. Close it to release the connection.
 */
public final class SqlRowStream implements Iterator<JsonNode>, AutoCloseable {

    private final EnvelopeReader reader;

    /** Reads a SQL API JSON body from {@code in} (closed by {@link #close()}). */
    public SqlRowStream(InputStream in) {
        this.reader = new EnvelopeReader(in, "rows");
    }

    /** Whether another row follows; at the end, throws the server's trailing error if it sent one. */
    @Override
    public boolean hasNext() {
        return reader.hasNext();
    }

    /** The next row as a JSON object. */
    @Override
    public JsonNode next() {
        return reader.nextNode();
    }

    /** The next row as a map of column name to value (numbers, strings, booleans, lists, maps, null). */
    public Map<String, Object> nextMap() {
        return reader.nextMap();
    }

    /** The rows not read yet, as a sequential stream (close this object when done with it). */
    public Stream<JsonNode> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED), false);
    }

    /** Skips the rows not read yet and returns every other member of the answer (time, fields, notices, …). */
    public ObjectNode finish() {
        return reader.finish();
    }

    /** The query time in seconds, or NaN when the server sent none. */
    public double time() {
        JsonNode t = finish().get("time");
        return t != null && t.isNumber() ? t.asDouble() : Double.NaN;
    }

    /** The {@code fields} object: column name to {@code {type, pgtype, …}}; empty when absent. */
    public ObjectNode fields() {
        return finish().get("fields") instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
    }

    /** {@code total_rows}: rows returned, or rows affected by INSERT/UPDATE/DELETE; -1 when absent. */
    public long totalRows() {
        JsonNode n = finish().get("total_rows");
        return n != null && n.isNumber() ? n.asLong() : -1;
    }

    /** The {@code notices} the query raised (e.g. from {@code DROP TABLE IF EXISTS}); empty when none. */
    public List<String> notices() {
        return messages("notices");
    }

    /** The {@code warnings} the query raised; empty when none. */
    public List<String> warnings() {
        return messages("warnings");
    }

    /** Messages of one severity key ({@code notices}, {@code warnings}, {@code infos}, {@code debugs}, …). */
    public List<String> messages(String key) {
        List<String> out = new ArrayList<>();
        JsonNode v = finish().get(key);
        if (v != null && v.isArray()) {
            v.forEach(m -> out.add(m.asText()));
        }
        return out;
    }

    @Override
    public void close() {
        reader.close();
    }
}

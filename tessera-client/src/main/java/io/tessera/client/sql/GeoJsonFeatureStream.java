package io.tessera.client.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The features of a SQL API {@code format=geojson} answer, read one at a time so that memory stays flat:
 * {@code {"type": "FeatureCollection", "features": [{"type":"Feature","geometry":…,"properties":…}, …]}}. An
 * {@code "error"} member after the features (a failure after streaming began) makes {@link #hasNext()} throw
 * {@link io.tessera.client.CartoException} at the end. Close it to release the connection.
 */
public final class GeoJsonFeatureStream implements Iterator<JsonNode>, AutoCloseable {

    private final EnvelopeReader reader;

    /** Reads a GeoJSON FeatureCollection body from {@code in} (closed by {@link #close()}). */
    public GeoJsonFeatureStream(InputStream in) {
        this.reader = new EnvelopeReader(in, "features");
    }

    /** Whether another feature follows; at the end, throws the server's trailing error if it sent one. */
    @Override
    public boolean hasNext() {
        return reader.hasNext();
    }

    /** The next feature. */
    @Override
    public JsonNode next() {
        return reader.nextNode();
    }

    /** The features not read yet, as a sequential stream (close this object when done with it). */
    public Stream<JsonNode> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED), false);
    }

    /** Skips the features not read yet and returns the other members ({@code type}, …). */
    public ObjectNode finish() {
        return reader.finish();
    }

    @Override
    public void close() {
        reader.close();
    }
}

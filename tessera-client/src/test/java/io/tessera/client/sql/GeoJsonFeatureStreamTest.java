package io.tessera.client.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.client.CartoException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GeoJsonFeatureStreamTest {

    @Test
    void featuresOfTheSqlApiEnvelope() {
        String body = "{\"type\": \"FeatureCollection\", \"features\": [{\"type\":\"Feature\",\"geometry\":"
                + "{\"type\":\"Point\",\"coordinates\":[1,2]},\"properties\":{\"cartodb_id\":1}},"
                + "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"cartodb_id\":2}}]}";
        try (GeoJsonFeatureStream s = stream(body)) {
            assertThat(s.next().get("geometry").get("coordinates").get(1).asInt()).isEqualTo(2);
            assertThat(s.next().get("geometry").isNull()).isTrue();
            assertThat(s.hasNext()).isFalse();
            assertThat(s.finish().get("type").asText()).isEqualTo("FeatureCollection");
        }
    }

    @Test
    void emptyCollection() {
        try (GeoJsonFeatureStream s = stream("{\"type\": \"FeatureCollection\", \"features\": []}")) {
            assertThat(s.hasNext()).isFalse();
        }
    }

    @Test
    void trailingErrorBeforeTheClosingBrace() {
        String body = "{\"type\": \"FeatureCollection\", \"features\": [{\"type\":\"Feature\",\"geometry\":null,"
                + "\"properties\":{}}],\"error\":[\"division by zero\"]}";
        try (GeoJsonFeatureStream s = stream(body)) {
            s.next();
            assertThatThrownBy(s::hasNext).isInstanceOf(CartoException.class).hasMessage("division by zero");
        }
    }

    @Test
    void finishSkipsFeaturesAndStillFindsTheError() {
        String body = "{\"type\": \"FeatureCollection\", \"features\": [{\"a\":[[1,2],[3,4]]},{\"b\":1}],"
                + "\"error\":\"late\"}";
        try (GeoJsonFeatureStream s = stream(body)) {
            assertThatThrownBy(s::finish).isInstanceOf(CartoException.class).hasMessage("late");
        }
    }

    private static GeoJsonFeatureStream stream(String json) {
        return new GeoJsonFeatureStream(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }
}

package io.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.client.CartoException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseCopierTest {

    @Test
    void jsonIsCopiedByteForByte() throws IOException {
        String body = "{\"rows\":[{\"a\":1},{\"a\":\"x\\u00e9\"}],\"time\":0.1,\"fields\":{},\"total_rows\":2}\n";
        assertThat(copy(body, SqlFormat.JSON)).isEqualTo(body);
    }

    @Test
    void largeJsonIsCopiedWhole() throws IOException {
        StringBuilder b = new StringBuilder("{\"rows\":[");
        for (int i = 0; i < 50_000; i++) {
            b.append(i == 0 ? "" : ",").append("{\"i\":").append(i).append(",\"s\":\"row ").append(i).append("\"}");
        }
        String body = b.append("],\"time\":1,\"fields\":{},\"total_rows\":50000}").toString();
        assertThat(copy(body, SqlFormat.JSON)).isEqualTo(body);
    }

    @Test
    void trailingErrorIsThrownAfterTheWholeBodyWasCopied() {
        String body = "{\"rows\":[{\"a\":1}],\"time\":0.1,\"fields\":{},\"total_rows\":1,"
                + "\"error\":[\"division by zero\"]}";
        var out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> ResponseCopier.copy(in(body), out, SqlFormat.JSON))
                .isInstanceOf(CartoException.class).hasMessage("division by zero");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(body);
    }

    @Test
    void geojsonTrailingErrorIsThrown() {
        String body = "{\"type\": \"FeatureCollection\", \"features\": [],\"error\":[\"boom\"]}";
        assertThatThrownBy(() -> copy(body, SqlFormat.GEOJSON)).isInstanceOf(CartoException.class);
    }

    @Test
    void geojsonIsCopied() throws IOException {
        String body = "{\"type\": \"FeatureCollection\", \"features\": [{\"type\":\"Feature\",\"geometry\":null,"
                + "\"properties\":{\"n\":1}}]}";
        assertThat(copy(body, SqlFormat.GEOJSON)).isEqualTo(body);
    }

    @Test
    void csvIsCopiedRaw() throws IOException {
        String body = "cartodb_id,name\r\n1,\"a, b\"\r\n";
        assertThat(copy(body, SqlFormat.CSV)).isEqualTo(body);
    }

    @Test
    void truncatedJsonIsAnErrorButWhatArrivedIsCopied() {
        String body = "{\"rows\":[{\"a\":1},";
        var out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> ResponseCopier.copy(in(body), out, SqlFormat.JSON))
                .isInstanceOf(CartoException.class).hasMessageContaining("ended before");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(body);
    }

    private static String copy(String body, SqlFormat format) throws IOException {
        var out = new ByteArrayOutputStream();
        ResponseCopier.copy(in(body), out, format);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static ByteArrayInputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}

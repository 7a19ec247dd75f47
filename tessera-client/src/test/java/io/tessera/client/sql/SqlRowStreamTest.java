package io.tessera.client.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.client.CartoException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class SqlRowStreamTest {

    /** The SQL API's exact JSON (sql-api.md §2.1): no spaces, keys in this order. */
    private static final String OK = "{\"rows\":[{\"cartodb_id\":1,\"name\":\"x\",\"the_geom\":\"0101000020E6100000\"},"
            + "{\"cartodb_id\":2,\"name\":null,\"the_geom\":null}],\"time\":0.006,"
            + "\"fields\":{\"cartodb_id\":{\"type\":\"number\",\"pgtype\":\"int4\"},\"name\":{\"type\":\"string\","
            + "\"pgtype\":\"text\"},\"the_geom\":{\"type\":\"geometry\",\"wkbtype\":\"Point\",\"dims\":2,\"srid\":4326}},"
            + "\"total_rows\":2}";

    @Test
    void rowsThenTrailer() {
        try (SqlRowStream s = stream(OK)) {
            assertThat(s.hasNext()).isTrue();
            JsonNode first = s.next();
            assertThat(first.get("cartodb_id").asInt()).isEqualTo(1);
            assertThat(first.get("the_geom").asText()).isEqualTo("0101000020E6100000");
            JsonNode second = s.next();
            assertThat(second.get("name").isNull()).isTrue();
            assertThat(s.hasNext()).isFalse();
            assertThat(s.time()).isEqualTo(0.006);
            assertThat(s.totalRows()).isEqualTo(2);
            assertThat(s.fields().get("the_geom").get("wkbtype").asText()).isEqualTo("Point");
            assertThat(s.notices()).isEmpty();
        }
    }

    @Test
    void rowsAsMaps() {
        try (SqlRowStream s = stream(OK)) {
            Map<String, Object> row = s.nextMap();
            assertThat(row).containsEntry("cartodb_id", 1).containsEntry("name", "x");
            assertThat(s.nextMap()).containsEntry("name", null);
            assertThatThrownBy(s::nextMap).isInstanceOf(NoSuchElementException.class);
        }
    }

    @Test
    void trailerAccessSkipsRemainingRows() {
        try (SqlRowStream s = stream(OK)) {
            assertThat(s.totalRows()).isEqualTo(2);
            assertThat(s.hasNext()).isFalse();
        }
    }

    @Test
    void emptyResultAndDdl() {
        try (SqlRowStream s = stream("{\"rows\":[],\"time\":0.001,\"fields\":{},\"total_rows\":0}")) {
            assertThat(s.hasNext()).isFalse();
            assertThat(s.fields()).isEmpty();
            assertThat(s.totalRows()).isZero();
        }
    }

    @Test
    void noticesAndWarningsAfterTotalRows() {
        String body = "{\"rows\":[],\"time\":0.002,\"fields\":{},\"total_rows\":0,"
                + "\"notices\":[\"table \\\"t\\\" does not exist, skipping\"],\"warnings\":[\"careful\"]}";
        try (SqlRowStream s = stream(body)) {
            assertThat(s.notices()).containsExactly("table \"t\" does not exist, skipping");
            assertThat(s.warnings()).containsExactly("careful");
            assertThat(s.messages("infos")).isEmpty();
        }
    }

    @Test
    void trailingErrorIsThrownAfterTheRows() {
        String body = "{\"rows\":[{\"x\":1},{\"x\":2}],\"time\":0.01,\"fields\":{\"x\":{\"type\":\"number\"}},"
                + "\"total_rows\":2,\"notices\":[\"n\"],\"error\":[\"division by zero\"]}";
        try (SqlRowStream s = stream(body)) {
            List<Integer> seen = new ArrayList<>();
            assertThatThrownBy(() -> {
                while (s.hasNext()) {
                    seen.add(s.next().get("x").asInt());
                }
            }).isInstanceOfSatisfying(CartoException.class, e -> {
                assertThat(e.status()).isEqualTo(200);
                assertThat(e.errors()).containsExactly("division by zero");
                assertThat(e.errorBody().get("notices").get(0).asText()).isEqualTo("n");
            });
            assertThat(seen).containsExactly(1, 2);
            assertThatThrownBy(s::totalRows).isInstanceOf(CartoException.class);
        }
    }

    @Test
    void errorOnlyBodyIsThrown() {
        try (SqlRowStream s = stream("{\"error\":[\"boom\"]}")) {
            assertThatThrownBy(s::hasNext).isInstanceOf(CartoException.class).hasMessage("boom");
        }
    }

    @Test
    void membersBeforeRowsAreKept() {
        try (SqlRowStream s = stream("{\"time\":1.5, \"rows\": [ {\"a\":[1,2]} ] , \"total_rows\":1}")) {
            assertThat(s.next().get("a").size()).isEqualTo(2);
            assertThat(s.time()).isEqualTo(1.5);
            assertThat(s.totalRows()).isEqualTo(1);
        }
    }

    @Test
    void nestedJsonValuesAreWholeRows() {
        try (SqlRowStream s = stream("{\"rows\":[{\"j\":{\"rows\":[1],\"error\":[\"not ours\"]}}],\"total_rows\":1}")) {
            assertThat(s.next().get("j").get("error").get(0).asText()).isEqualTo("not ours");
            assertThat(s.hasNext()).isFalse();
        }
    }

    @Test
    void truncatedBodyIsAnError() {
        try (SqlRowStream s = stream("{\"rows\":[{\"x\":1},{\"x\":")) {
            assertThat(s.next().get("x").asInt()).isEqualTo(1);
            assertThatThrownBy(s::next).isInstanceOf(CartoException.class);
        }
        try (SqlRowStream s = stream("{\"rows\":[{\"x\":1}]")) {
            s.next();
            assertThatThrownBy(s::hasNext).isInstanceOf(CartoException.class)
                    .hasMessageContaining("ended before");
        }
    }

    @Test
    void notAnObjectIsAnError() {
        try (SqlRowStream s = stream("[1,2]")) {
            assertThatThrownBy(s::hasNext).isInstanceOf(CartoException.class);
        }
    }

    @Test
    void manyRowsStreamWithoutHoldingThem() {
        int n = 300_000;
        try (SqlRowStream s = new SqlRowStream(new GeneratedRows(n, "],\"time\":3.2,\"fields\":{},\"total_rows\":"
                + n + "}"))) {
            long sum = 0;
            int count = 0;
            while (s.hasNext()) {
                sum += s.next().get("i").asLong();
                count++;
            }
            assertThat(count).isEqualTo(n);
            assertThat(sum).isEqualTo((long) n * (n - 1) / 2);
            assertThat(s.totalRows()).isEqualTo(n);
        }
    }

    @Test
    void streamApi() {
        try (SqlRowStream s = stream(OK)) {
            assertThat(s.stream().map(r -> r.get("cartodb_id").asInt()).toList()).containsExactly(1, 2);
        }
    }

    static SqlRowStream stream(String json) {
        return new SqlRowStream(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** A JSON body of {@code n} rows made on the fly, so the test itself holds no large buffer either. */
    static final class GeneratedRows extends InputStream {
        private final int n;
        private final byte[] tail;
        private int next;
        private byte[] chunk = "{\"rows\":[".getBytes(StandardCharsets.UTF_8);
        private int pos;
        private boolean tailSent;

        GeneratedRows(int n, String tail) {
            this.n = n;
            this.tail = tail.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public int read() {
            if (pos == chunk.length && !refill()) {
                return -1;
            }
            return chunk[pos++] & 0xff;
        }

        private boolean refill() {
            if (next < n) {
                String row = (next > 0 ? "," : "") + "{\"i\":" + next + ",\"name\":\"row " + next + "\"}";
                chunk = row.getBytes(StandardCharsets.UTF_8);
                next++;
            } else if (!tailSent) {
                chunk = tail;
                tailSent = true;
            } else {
                return false;
            }
            pos = 0;
            return true;
        }
    }
}

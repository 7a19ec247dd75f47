package io.tessera.it.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.it.TesseraHarness;
import io.tessera.server.auth.Accounts;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code format=arraybuffer}, read back with a decoder written here from the contract (sql-api.md §2.5: blocks of
 * {@code uint32BE type, uint32BE size} and little-endian data, elements of string and block blocks on 4-byte
 * boundaries), plus the exact bytes of a one-cell answer worked out by hand.
 */
class ArrayBufferExportTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Accounts.Created user;

    @BeforeAll
    static void setUp() {
        user = TesseraHarness.newUser("arraybuf");
    }

    private static HttpResponse<byte[]> export(String q) throws Exception {
        String url = TesseraHarness.url("/user/" + user.user().username() + "/api/v2/sql?api_key=" + user.masterKey()
                + "&format=arraybuffer&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void oneCellHasTheExactLayout() throws Exception {
        HttpResponse<byte[]> r = export("SELECT 1 AS a__uint8");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/octet-stream");
        assertThat(r.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment; filename=cartodb-query.arraybuffer;");
        String names = "0000000a00000018" + "0000000500000010" + "61005f005f00750069006e0074003800";
        String column = "0000000200000001" + "01";
        assertThat(HexFormat.of().formatHex(r.body())).isEqualTo("0000000b00000029" + names + column);
    }

    @Test
    void columnsDecodeWithTheirTypes() throws Exception {
        HttpResponse<byte[]> r = export("SELECT i AS id, 'n' || i AS name, (i * 100 - 150) AS temp__int16, i * 0.5 AS ratio,"
                + " ARRAY[i, i + 1] AS pair__uint16 FROM generate_series(1, 3) i");
        assertThat(r.statusCode()).isEqualTo(200);
        Block all = Block.read(ByteBuffer.wrap(r.body()), 0);
        assertThat(all.type).isEqualTo(11);
        List<Block> parts = all.children();
        assertThat(parts).hasSize(6);
        assertThat(parts.get(0).strings()).containsExactly("id", "name", "temp__int16", "ratio", "pair__uint16");
        assertThat(parts.get(1).type).isEqualTo(8); // float32, the default for numbers
        assertThat(parts.get(1).floats()).containsExactly(1f, 2f, 3f);
        assertThat(parts.get(2).strings()).containsExactly("n1", "n2", "n3");
        assertThat(parts.get(3).type).isEqualTo(4);
        assertThat(parts.get(3).shorts()).containsExactly((short) -50, (short) 50, (short) 150);
        assertThat(parts.get(4).floats()).containsExactly(0.5f, 1f, 1.5f);
        List<Block> pairs = parts.get(5).children();
        assertThat(pairs).hasSize(3);
        assertThat(pairs.get(2).type).isEqualTo(5);
        assertThat(pairs.get(2).shorts()).containsExactly((short) 3, (short) 4);
    }

    @Test
    void emptyResultIsAnEmptyBodyAndGeometriesAreRefused() throws Exception {
        HttpResponse<byte[]> empty = export("SELECT 1 AS a WHERE false");
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(empty.body()).isEmpty();
        HttpResponse<byte[]> geom = export("SELECT ST_MakePoint(1, 2) AS the_geom");
        assertThat(geom.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(geom.body()).get("error").get(0).asText()).isEqualTo("geometry types are not supported");
        HttpResponse<byte[]> range = export("SELECT 300 AS v__int8");
        assertThat(range.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(range.body()).get("error").get(0).asText()).contains("out of range");
    }

    /** One block of the layout: its type and its data (after the 8-byte header). */
    private record Block(int type, ByteBuffer data, int start) {
        static Block read(ByteBuffer all, int at) {
            ByteBuffer b = all.duplicate().order(ByteOrder.BIG_ENDIAN);
            int type = b.getInt(at);
            int size = b.getInt(at + 4);
            ByteBuffer data = all.duplicate().position(at + 8).limit(at + 8 + size).slice().order(ByteOrder.LITTLE_ENDIAN);
            return new Block(type, data, at);
        }

        int size() {
            return data.limit();
        }

        /** Children of a string or block block: each starts on a 4-byte boundary counted from this block's start. */
        List<Block> children() {
            List<Block> out = new ArrayList<>();
            int off = 8;
            ByteBuffer whole = data.duplicate();
            while (off - 8 < size()) {
                off += (4 - off % 4) % 4;
                ByteBuffer framed = ByteBuffer.allocate(8 + size());
                framed.putInt(type).putInt(size()).put(whole.duplicate());
                Block child = Block.read(framed, off);
                out.add(child);
                off += 8 + child.size();
            }
            return out;
        }

        List<String> strings() {
            List<String> out = new ArrayList<>();
            for (Block s : children()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < s.size(); i += 2) {
                    sb.append((char) s.data.getShort(i));
                }
                out.add(sb.toString());
            }
            return out;
        }

        List<Float> floats() {
            List<Float> out = new ArrayList<>();
            for (int i = 0; i < size(); i += 4) {
                out.add(data.getFloat(i));
            }
            return out;
        }

        List<Short> shorts() {
            List<Short> out = new ArrayList<>();
            for (int i = 0; i < size(); i += 2) {
                out.add(data.getShort(i));
            }
            return out;
        }
    }
}

package io.tessera.it.maps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.it.TesseraHarness;
import io.tessera.server.auth.Accounts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Raw HTTP helpers for the Maps API tests (exact statuses, headers and bytes). */
final class MapsTestSupport {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private MapsTestSupport() {
    }

    static String mapUrl(Accounts.Created u, String rest) {
        return TesseraHarness.url("/user/" + u.user().username() + "/api/v1/map" + rest);
    }

    static HttpResponse<String> postJson(String url, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> send(String method, String url, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<byte[]> getBytes(String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    static String layergroup(String sql, String extraTop) {
        return "{\"version\":\"1.3.0\"," + extraTop + "\"layers\":[{\"type\":\"mapnik\",\"options\":{\"sql\":\"" + sql
                + "\",\"cartocss\":\"#layer { marker-fill: red; marker-width: 8; }\",\"cartocss_version\":\"2.1.1\","
                + "\"interactivity\":[\"cartodb_id\"],\"attributes\":{\"id\":\"cartodb_id\",\"columns\":[\"name\",\"n\"]}}}]}";
    }

    /**
     * Runs statements on the admin connection, outside the server: a write the server did not make (as if made by
     * another node or another client), which it must still notice.
     */
    static void admin(String... statements) {
        try (java.sql.Connection c = io.tessera.server.testing.TestPostgis.platform().admin().dataSource().getConnection();
             java.sql.Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of the first row of a query on the admin connection. */
    static String adminValue(String sql) {
        try (java.sql.Connection c = io.tessera.server.testing.TestPostgis.platform().admin().dataSource().getConnection();
             java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Fetches a tile twice (the second time from the cache) and checks both answers are the same 200. */
    static HttpResponse<byte[]> cachedTile(String url) throws Exception {
        HttpResponse<byte[]> first = getBytes(url);
        org.assertj.core.api.Assertions.assertThat(first.statusCode()).as(new String(first.body())).isEqualTo(200);
        org.assertj.core.api.Assertions.assertThat(getBytes(url).body()).isEqualTo(first.body());
        return first;
    }

    /** A table of three points, cartodbfied (so its changes are stamped), owned by the user. */
    static void makePoints(Accounts.Created u, String table) {
        TesseraHarness.master(u).send("CREATE TABLE " + table + " (name text, n int, d date, the_geom geometry(Point,4326));"
                + "INSERT INTO " + table + " (name, n, d, the_geom) VALUES ('a', 1, '2020-01-01', ST_SetSRID(ST_MakePoint(10, 10), 4326)),"
                + " ('b', 2, '2020-01-02', ST_SetSRID(ST_MakePoint(-100, 40), 4326)), ('c', 3, NULL, ST_SetSRID(ST_MakePoint(140, -30), 4326));"
                + "SELECT CDB_CartodbfyTable('" + table + "')");
    }
}

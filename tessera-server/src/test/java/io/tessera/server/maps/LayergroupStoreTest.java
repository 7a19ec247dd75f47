package io.tessera.server.maps;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.server.http.Json;
import io.tessera.server.testing.TestPostgis;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Layergroup storage growth: use stamps once a minute, not per tile, and a purge of the unused. */
class LayergroupStoreTest {
    private final DataSource admin = TestPostgis.platform().admin().dataSource();

    private static MapConfig config(String sql) throws Exception {
        return MapConfigParser.parse(Json.MAPPER.readTree("{\"version\":\"1.3.0\",\"layers\":[{\"type\":\"mapnik\","
                + "\"options\":{\"sql\":" + Json.MAPPER.writeValueAsString(sql) + ",\"cartocss\":\"#l { marker-fill: red; }\","
                + "\"cartocss_version\":\"2.1.1\"}}]}"));
    }

    private void idleFor(UUID user, String md5, String interval) throws Exception {
        try (Connection c = admin.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE tessera.map_layergroups SET last_used_at = now() - ?::interval WHERE user_id = ? AND id = ?")) {
            ps.setString(1, interval);
            ps.setObject(2, user);
            ps.setString(3, md5);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    /** Seconds since the layergroup was last used, or -1 when it is gone. */
    private long idleSeconds(UUID user, String md5) throws Exception {
        try (Connection c = admin.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT extract(epoch FROM now() - last_used_at)::int8 FROM tessera.map_layergroups WHERE user_id = ? AND id = ?")) {
            ps.setObject(1, user);
            ps.setString(2, md5);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    @Test
    void useIsStampedAtMostOncePerMinuteAndTheUnusedArePurged() throws Exception {
        UUID user = TestPostgis.newUser("lgstore").user().id();
        LayergroupStore node = new LayergroupStore(admin);
        String old = node.save(user, config("select 1 as a"), null);
        String recent = node.save(user, config("select 2 as a"), null);

        idleFor(user, old, "2 hours");
        assertThat(node.find(user, old)).isPresent();
        assertThat(idleSeconds(user, old)).as("stamped on save less than a minute ago: no write per tile")
                .isGreaterThan(3600);
        assertThat(node.save(user, config("select 1 as a"), null)).isEqualTo(old);
        assertThat(idleSeconds(user, old)).isGreaterThan(3600);

        LayergroupStore otherNode = new LayergroupStore(admin);
        assertThat(otherNode.find(user, old)).isPresent();
        assertThat(idleSeconds(user, old)).as("first use on a node stamps it").isLessThan(3600);

        idleFor(user, old, "8 days");
        idleFor(user, recent, "6 days");
        assertThat(otherNode.purgeUnusedFor(Duration.ofDays(7))).isGreaterThanOrEqualTo(1);
        assertThat(idleSeconds(user, old)).isEqualTo(-1);
        assertThat(otherNode.find(user, old)).as("dropped from the purging node's cache").isEmpty();
        assertThat(new LayergroupStore(admin).find(user, old)).isEmpty();
        assertThat(idleSeconds(user, recent)).isGreaterThan(0);
        assertThat(new LayergroupStore(admin).find(user, recent)).isPresent();
    }
}

package io.tessera.server.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** Text the SQL API derives by hand: CARTO dates (sql-api.md §2.3) and literal-free query fingerprints. */
class SqlTextTest {
    @Test
    void writesCartosDateText() {
        assertThat(ValueWriter.formatDate(ZonedDateTime.parse("2011-09-21T14:02:21.314252Z"))).isEqualTo("2011-09-21T14:02:21Z");
        assertThat(ValueWriter.formatDate(ZonedDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneId.of("Europe/Rome"))))
                .isEqualTo("2000-01-01T00:00:00+0100");
        assertThat(ValueWriter.formatDate(ZonedDateTime.of(1999, 12, 31, 23, 5, 9, 0, ZoneId.of("America/St_Johns"))))
                .isEqualTo("1999-12-31T23:05:09-0330");
        assertThat(ValueWriter.formatDate(ZonedDateTime.parse("0005-03-04T05:06:07Z"))).isEqualTo("0005-03-04T05:06:07Z");
    }

    @Test
    void fingerprintsTakeLiteralsOut() {
        QueryFingerprint f = QueryFingerprint.of("SELECT * FROM t2 WHERE id = 42 AND name = 'it''s' -- note\n AND x > 1.5e3");
        assertThat(f.text()).isEqualTo("SELECT * FROM t2 WHERE id = $1 AND name = $2 AND x > $3");
        assertThat(f.parameters()).isEqualTo(3);
        assertThat(QueryFingerprint.of("SELECT * FROM t WHERE id = 7").text())
                .isEqualTo(QueryFingerprint.of("SELECT  *  FROM t WHERE id = 123456").text());
        assertThat(QueryFingerprint.of("SELECT \"col 1\", E'a\\'b', $$x$$ FROM t").text()).isEqualTo("SELECT \"col 1\", $1, $2 FROM t");
        assertThat(QueryFingerprint.of("SELECT $1").usable()).isFalse();
    }
}

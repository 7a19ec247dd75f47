package io.tessera.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class HttpDatesTest {
    @Test
    void writesIMFFixdateWithATwoDigitDayAsJavaScriptsToUTCString() {
        long millis = Instant.parse("2014-01-01T23:31:30.750Z").toEpochMilli();
        assertThat(HttpDates.format(millis)).isEqualTo("Wed, 01 Jan 2014 23:31:30 GMT");
        // the same second, cached, and the next one
        assertThat(HttpDates.format(millis - 500)).isEqualTo("Wed, 01 Jan 2014 23:31:30 GMT");
        assertThat(HttpDates.format(millis + 250)).isEqualTo("Wed, 01 Jan 2014 23:31:31 GMT");
        assertThat(HttpDates.format(Instant.parse("1969-12-31T23:59:59.500Z").toEpochMilli()))
                .isEqualTo("Wed, 31 Dec 1969 23:59:59 GMT");
    }
}

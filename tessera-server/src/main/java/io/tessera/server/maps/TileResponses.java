package io.tessera.server.maps;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.tessera.server.http.ApiRequest;
import io.tessera.server.http.HttpDates;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/**
 * Cache headers of GET tiles (maps-api.md §5.3 and decisions: ETag on tiles): a strong {@code ETag} over
 * the bytes, {@code Last-Modified} from the data's change stamp, {@code Cache-Control} for a year when every
 * input is tracked and the URL's cache buster is current, else until the next 5-minute boundary. A matching
 * {@code If-None-Match} (or, without it, {@code If-Modified-Since} on tracked data) answers 304.
 */
final class TileResponses {
    static final int FALLBACK_TTL = 300;
    static final int YEAR = 31_536_000;
    // Per-request work a cached tile still pays, kept small: constant headers made once, dates formatted once per second.
    private static final Header CACHE_FOR_A_YEAR = HeaderValues.create(HeaderNames.CACHE_CONTROL, "public,max-age=" + YEAR);
    private static final Header CONTAINS_DATA = HeaderValues.create(HeaderNames.create("x-tilelive-contains-data"), "true");

    private TileResponses() {
    }

    static void send(ApiRequest req, ServerResponse res, Tile tile, String contentType, String urlCacheBuster) {
        long now = System.currentTimeMillis();
        long modified = tile.tracked() && tile.stampMillis() > 0 ? tile.stampMillis() : now;
        boolean fixed = tile.tracked() && urlCacheBuster.equals(Long.toString(tile.stampMillis()));
        if (fixed) {
            res.header(CACHE_FOR_A_YEAR);
        } else {
            res.header(HeaderNames.CACHE_CONTROL, "public,max-age=" + (FALLBACK_TTL - (now / 1000) % FALLBACK_TTL));
        }
        res.header(HeaderNames.LAST_MODIFIED, HttpDates.format(modified));
        res.header(HeaderNames.ETAG, tile.etag());
        if (notModified(req, tile, modified)) {
            res.status(Status.NOT_MODIFIED_304);
            res.send();
            return;
        }
        if (tile.empty()) {
            res.status(Status.NO_CONTENT_204);
            res.send();
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, contentType);
        if (contentType.equals("application/x-protobuf")) {
            res.header(CONTAINS_DATA);
        }
        res.send(tile.bytes());
    }

    private static boolean notModified(ApiRequest req, Tile tile, long modified) {
        var inm = req.header("If-None-Match");
        if (inm.isPresent()) {
            return inm.get().strip().equals("*") || Arrays.stream(inm.get().split(","))
                    .map(String::strip).anyMatch(t -> t.equals(tile.etag()));
        }
        if (!tile.tracked()) {
            return false;
        }
        return req.header("If-Modified-Since").map(ims -> {
            try {
                return ZonedDateTime.parse(ims, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli() / 1000
                        >= modified / 1000;
            } catch (DateTimeParseException e) {
                return false;
            }
        }).orElse(false);
    }
}

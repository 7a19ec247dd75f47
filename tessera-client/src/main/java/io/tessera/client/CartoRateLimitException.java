package io.tessera.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A 429 answer that carries {@code Retry-After}: the caller went over a rate limit and may retry later. Exposes the
 * four headers carto-python's {@code CartoRateLimitException} reads; a header that is missing or not an integer
 * reads as -1 (carto-python would crash on it; Tessera always sends all four, decision 16).
 */
public class CartoRateLimitException extends CartoException {

    private static final long serialVersionUID = 1L;

    private final long limit;
    private final long remaining;
    private final long retryAfter;
    private final long reset;

    /**
     * @param errors     the server's messages
     * @param errorBody  the parsed error body, or {@code MissingNode}
     * @param limit      {@code Carto-Rate-Limit-Limit}: requests allowed in the window
     * @param remaining  {@code Carto-Rate-Limit-Remaining}: requests left in the window
     * @param retryAfter {@code Retry-After}: seconds to wait before retrying
     * @param reset      {@code Carto-Rate-Limit-Reset}: seconds until the window is fully reset
     */
    public CartoRateLimitException(List<String> errors, JsonNode errorBody, long limit, long remaining,
            long retryAfter, long reset) {
        super(429, errors, errorBody);
        this.limit = limit;
        this.remaining = remaining;
        this.retryAfter = retryAfter;
        this.reset = reset;
    }

    /** {@code Carto-Rate-Limit-Limit}, or -1. */
    public long limit() {
        return limit;
    }

    /** {@code Carto-Rate-Limit-Remaining}, or -1. */
    public long remaining() {
        return remaining;
    }

    /** {@code Retry-After} in seconds (never negative: a negative value does not make this exception). */
    public long retryAfter() {
        return retryAfter;
    }

    /** {@code Carto-Rate-Limit-Reset}, or -1. */
    public long reset() {
        return reset;
    }
}

package io.tessera.server.http;

import io.helidon.http.Headers;
import io.helidon.http.encoding.ContentDecoder;
import io.helidon.http.encoding.ContentEncoder;
import io.helidon.http.encoding.ContentEncodingContext;
import io.helidon.http.encoding.ContentEncodingContextConfig;

/**
 * Hands request bodies to the handlers as sent, whatever their {@code Content-Encoding}: the COPY API gunzips
 * uploads itself, counting the bytes it inflates against its cap (decisions: security 9). Without this, Helidon
 * refuses a gzip body with an empty 400 before any handler runs. Responses are never encoded by Helidon either;
 * a handler that gzips sets the header itself.
 */
public final class PassThroughEncoding implements ContentEncodingContext {
    public static final PassThroughEncoding INSTANCE = new PassThroughEncoding();

    private PassThroughEncoding() {
    }

    @Override
    public ContentEncodingContextConfig prototype() {
        return ContentEncodingContextConfig.builder().buildPrototype();
    }

    @Override
    public boolean contentEncodingEnabled() {
        return false;
    }

    @Override
    public boolean contentDecodingEnabled() {
        return true;
    }

    @Override
    public boolean contentEncodingSupported(String encodingId) {
        return false;
    }

    @Override
    public boolean contentDecodingSupported(String encodingId) {
        return true;
    }

    @Override
    public ContentEncoder encoder(String encodingId) {
        return ContentEncoder.NO_OP;
    }

    @Override
    public ContentDecoder decoder(String encodingId) {
        return ContentDecoder.NO_OP;
    }

    @Override
    public ContentEncoder encoder(Headers headers) {
        return ContentEncoder.NO_OP;
    }
}

package io.tessera.server.maps;

/**
 * A drawn tile: its bytes (empty = no features), a strong ETag over them, the newest change stamp of
 * its data (ms, 0 if none) and whether every input is tracked, so the tile may be cached until it moves.
 */
public record Tile(byte[] bytes, String etag, long stampMillis, boolean tracked) {
    static Tile of(byte[] bytes, long stampMillis, boolean tracked) {
        return new Tile(bytes, "\"" + Hashes.sha256Hex(bytes).substring(0, 32) + "\"", stampMillis, tracked);
    }

    public boolean empty() {
        return bytes.length == 0;
    }
}

package io.tessera.server.maps;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Content hashes: md5 for layergroup addresses (CARTO's token shape), sha-256 for ETags. */
final class Hashes {
    private Hashes() {
    }

    static String md5Hex(String s) {
        return hex("MD5", s.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256Hex(byte[] b) {
        return hex("SHA-256", b);
    }

    private static String hex(String algorithm, byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.tessera.server.maps;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A layergroup id as clients see it (maps-api.md §5.4): {@code [signer@[templateHash8@]]md5:cacheBuster}.
 * The md5 addresses the stored config; the cache buster only makes URLs change when the data does.
 */
public record LayergroupToken(String signer, String templateHash, String md5, String cacheBuster) {
    private static final Pattern FORMAT = Pattern.compile(
            "^(?:([A-Za-z0-9_-]+)@(?:([0-9a-f]{8})@)?)?([0-9a-f]{32})(?::([0-9.]{1,40}))?$");

    public static Optional<LayergroupToken> parse(String s) {
        Matcher m = FORMAT.matcher(s);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new LayergroupToken(m.group(1), m.group(2), m.group(3), m.group(4) == null ? "0" : m.group(4)));
    }

    public static LayergroupToken anonymous(String md5, long cacheBuster) {
        return new LayergroupToken(null, null, md5, Long.toString(cacheBuster));
    }

    public static LayergroupToken named(String user, String templateHash, String md5, long cacheBuster) {
        return new LayergroupToken(user, templateHash, md5, Long.toString(cacheBuster));
    }

    public boolean isNamed() {
        return signer != null;
    }

    @Override
    public String toString() {
        String prefix = signer == null ? "" : signer + "@" + (templateHash == null ? "" : templateHash + "@");
        return prefix + md5 + ":" + cacheBuster;
    }
}

package io.tessera.server.auth;

import java.util.Set;
import java.util.UUID;

/**
 * An API key: its token, its type, the PostgreSQL login role its SQL runs as, and the APIs it may use
 * ({@code sql}, {@code maps}; the Auth API's {@code apis} grant).
 */
public record ApiKey(UUID userId, String token, String name, Type type, String dbRole, Set<String> apis) {
    public static final String DEFAULT_PUBLIC = "default_public";
    public static final String API_SQL = "sql";
    public static final String API_MAPS = "maps";

    public ApiKey {
        apis = Set.copyOf(apis);
    }

    /** Whether this key was granted the given API (master and default keys have sql and maps). */
    public boolean allows(String api) {
        return apis.contains(api);
    }

    /** Key types, as CARTO's Auth API names them. */
    public enum Type {
        MASTER("master"), DEFAULT("default"), REGULAR("regular");

        private final String wire;

        Type(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static Type fromWire(String s) {
            for (Type t : values()) {
                if (t.wire.equals(s)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown key type " + s);
        }
    }

    public boolean isMaster() {
        return type == Type.MASTER;
    }

    @Override
    public String toString() {
        return "ApiKey[" + name + ", " + type + ", role " + dbRole + "]"; // never the token
    }
}

package io.tessera.server.auth;

import java.util.UUID;

/** An API key: its token, its type and the PostgreSQL login role its SQL runs as. */
public record ApiKey(UUID userId, String token, String name, Type type, String dbRole) {
    public static final String DEFAULT_PUBLIC = "default_public";

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

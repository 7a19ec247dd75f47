package io.tessera.server.keys;

import java.util.List;

/** A key role's table and schema privileges as PostgreSQL holds them (the Auth API's {@code database} grant). */
record DatabaseGrants(List<Table> tables, List<String> createSchemas) {
    record Table(String schema, String name, boolean owner, List<String> permissions) {
    }

    static final DatabaseGrants NONE = new DatabaseGrants(List.of(), List.of());
}

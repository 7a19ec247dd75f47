package io.tessera.server.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Applies the plain-SQL migrations under {@code db/migration} (metadata schema and CDB_* functions). */
public final class Migrations {
    private Migrations() {
    }

    public static void apply(DataSource admin) {
        Flyway.configure()
                .dataSource(admin)
                .locations("classpath:db/migration")
                .defaultSchema("tessera")
                .createSchemas(true)
                // Features land in parallel with their own version ranges; an older number arriving later still applies.
                .outOfOrder(true)
                .load()
                .migrate();
    }
}

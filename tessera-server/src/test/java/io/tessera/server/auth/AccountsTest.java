package io.tessera.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.server.db.Platform;
import io.tessera.server.db.RoleConnection;
import io.tessera.server.testing.TestPostgis;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class AccountsTest {
    private final Platform platform = TestPostgis.platform();

    @Test
    void createMakesSchemaRolesAndKeysAndDeleteRemovesAllOfIt() throws Exception {
        Accounts.Created c = TestPostgis.newUser("acct");
        User u = c.user();
        assertThat(c.masterKey()).hasSize(40);
        ApiKey master = platform.accounts().findKey(u, c.masterKey()).orElseThrow();
        ApiKey pub = platform.accounts().findKey(u, ApiKey.DEFAULT_PUBLIC).orElseThrow();
        assertThat(master.dbRole()).isEqualTo(u.ownerRole());
        assertThat(pub.type()).isEqualTo(ApiKey.Type.DEFAULT);

        try (RoleConnection rc = platform.pools().connect(u.ownerRole());
             Statement s = rc.jdbc().createStatement();
             ResultSet rs = s.executeQuery("SELECT current_user, current_schema(), (SELECT username FROM cartodb._tessera_caller())")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(u.ownerRole());
            assertThat(rs.getString(2)).isEqualTo(u.schema());
            assertThat(rs.getString(3)).isEqualTo(u.username());
        }

        assertThat(platform.accounts().delete(u.username())).isTrue();
        try (Connection a = platform.admin().dataSource().getConnection(); Statement s = a.createStatement()) {
            ResultSet roles = s.executeQuery("SELECT count(*) FROM pg_roles WHERE rolname IN ('" + u.ownerRole() + "','" + u.publicRole() + "')");
            roles.next();
            assertThat(roles.getInt(1)).isZero();
            ResultSet schema = s.executeQuery("SELECT count(*) FROM pg_namespace WHERE nspname = '" + u.schema() + "'");
            schema.next();
            assertThat(schema.getInt(1)).isZero();
        }
        assertThat(platform.accounts().findUserUncached(u.username())).isEmpty();
    }

    @Test
    void usernamesAreValidated() {
        assertThatThrownBy(() -> Accounts.validateUsername("Bad Name")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Accounts.validateUsername("public")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Accounts.validateUsername("pg_x")).isInstanceOf(IllegalArgumentException.class);
        Accounts.validateUsername("demo-user1");
    }
}

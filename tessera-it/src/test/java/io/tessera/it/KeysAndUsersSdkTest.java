package io.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.client.CartoException;
import io.tessera.client.auth.ApiKeyAuthClient;
import io.tessera.client.keys.ApiKey;
import io.tessera.client.keys.ApiKeyManager;
import io.tessera.client.users.User;
import io.tessera.client.users.UserManager;
import io.tessera.server.auth.Accounts;
import io.tessera.server.orgs.Organizations;
import io.tessera.server.testing.TestPostgis;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SDK's ApiKeyManager and UserManager against a real server, as carto-python's own tests use them. */
class KeysAndUsersSdkTest {
    private static Accounts.Created admin;
    private static String org;

    @BeforeAll
    static void setUp() throws Exception {
        admin = TesseraHarness.newUser("sdkadmin");
        org = admin.user().username() + "-org";
        new Organizations(TestPostgis.platform().admin(), TestPostgis.platform().accounts()).create(org, admin.user().username());
        TesseraHarness.master(admin).send("CREATE TABLE places (cartodb_id serial PRIMARY KEY, name text)");
    }

    @Test
    void keysAreCreatedListedRegeneratedAndDeleted() {
        ApiKeyManager keys = new ApiKeyManager(new ApiKeyAuthClient(TesseraHarness.baseUrl(admin.user().username()), admin.masterKey()));
        ApiKey created = keys.create("sdk-key", List.of("sql", "maps"),
                List.of(new ApiKey.TableGrant(admin.user().username(), "places", List.of("insert", "select", "update"))));
        assertThat(created.type()).isEqualTo("regular");
        assertThat(created.apis()).containsExactly("sql", "maps");
        assertThat(created.tables()).containsExactly(new ApiKey.TableGrant(admin.user().username(), "places",
                List.of("insert", "select", "update")));
        assertThat(keys.get("sdk-key").token()).isEqualTo(created.token());
        assertThat(keys.all()).extracting(ApiKey::name).contains("Master", "Default public", "sdk-key");

        // the new key works through the SQL API with exactly its grants
        var asKey = TesseraHarness.sql(admin, created.token());
        asKey.send("INSERT INTO places (name) VALUES ('x')");
        assertThat(asKey.send("SELECT count(*) AS n FROM places").get("rows").get(0).get("n").asInt()).isEqualTo(1);

        ApiKey regenerated = keys.regenerateToken("sdk-key");
        assertThat(regenerated.token()).isNotEqualTo(created.token());
        keys.delete("sdk-key");
        assertThatThrownBy(() -> keys.get("sdk-key")).isInstanceOf(CartoException.class)
                .satisfies(e -> assertThat(((CartoException) e).status()).isEqualTo(404));
    }

    @Test
    void anOrgAdminManagesUsers() {
        UserManager users = new UserManager(new ApiKeyAuthClient(TesseraHarness.baseUrl(admin.user().username()),
                admin.masterKey(), org));
        String name = admin.user().username() + "-u";
        User created = users.create(name, "u@example.com", "secret_123");
        assertThat(created.username()).isEqualTo(name);
        assertThat(created.apiKey()).hasSize(40);
        assertThat(users.get(name).email()).isEqualTo("u@example.com");
        assertThat(users.update(name, "v@example.com", null).email()).isEqualTo("v@example.com");
        users.delete(name);
        assertThatThrownBy(() -> users.get(name)).isInstanceOf(CartoException.class)
                .hasMessageContaining("No user with username");
    }

    @Test
    void withoutAnOrganizationGetReadsTheKeysOwnUser() {
        UserManager users = new UserManager(new ApiKeyAuthClient(TesseraHarness.baseUrl(admin.user().username()), admin.masterKey()));
        User me = users.get("ignored");
        assertThat(me.username()).isEqualTo(admin.user().username());
        assertThat(me.tableCount()).isGreaterThanOrEqualTo(1);
        assertThat(me.dbSizeInBytes()).isPositive();
    }
}

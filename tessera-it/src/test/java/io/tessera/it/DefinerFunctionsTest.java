package io.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.client.sql.SqlClient;
import io.tessera.server.auth.Accounts;
import org.junit.jupiter.api.Test;

/**
 * SECURITY DEFINER functions must not touch objects the caller can plant: a temp table (or trigger on it)
 * made by the caller under a name the function uses would run the caller's code as the function's owner.
 */
class DefinerFunctionsTest {

    @Test
    void reconcileCannotBeHijackedThroughTheCallersTempSchema() {
        Accounts.Created user = TesseraHarness.newUser("definer");
        SqlClient sql = TesseraHarness.master(user);
        String schema = user.user().schema();
        sql.send("CREATE TABLE fired (who text); CREATE TABLE some_table (id int)");
        sql.send("CREATE FUNCTION trap() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN INSERT INTO \"" + schema
                + "\".fired VALUES (current_user); RETURN NEW; END$$;"
                + "CREATE TEMP TABLE _tessera_user_tables (oid oid, relname text);"
                + "CREATE TRIGGER trap BEFORE INSERT ON _tessera_user_tables FOR EACH ROW EXECUTE FUNCTION \"" + schema + "\".trap();"
                + "SELECT cartodb._tessera_datasets_reconcile()");
        // Before the fix (V52) the trigger ran as the cluster's superuser and wrote its name here.
        JsonNode fired = sql.send("SELECT count(*) AS n FROM fired");
        assertThat(fired.get("rows").get(0).get("n").asInt()).as("the planted trigger never ran").isZero();
        JsonNode superuser = sql.send("SELECT rolsuper FROM pg_roles WHERE rolname = current_user");
        assertThat(superuser.get("rows").get(0).get("rolsuper").asBoolean()).isFalse();
        // and reconcile still did its job
        JsonNode tables = sql.send("SELECT table_name FROM cartodb._tessera_datasets() ORDER BY 1");
        assertThat(tables.get("rows").toString()).contains("some_table", "fired");
    }

    @Test
    void noSecurityDefinerFunctionRunsAsASuperuser() {
        SqlClient sql = TesseraHarness.master(TesseraHarness.newUser("definer2"));
        JsonNode owners = sql.send("SELECT count(*) AS n, count(*) FILTER (WHERE r.rolsuper) AS su"
                + " FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner"
                + " WHERE p.prosecdef AND p.pronamespace = 'cartodb'::regnamespace");
        assertThat(owners.get("rows").get(0).get("n").asInt()).as("definer functions exist").isPositive();
        assertThat(owners.get("rows").get(0).get("su").asInt()).as("owned by a superuser").isZero();
    }
}

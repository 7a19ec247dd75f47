package io.tessera.server.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.server.auth.User;
import io.tessera.server.db.Platform;
import io.tessera.server.db.RoleConnection;
import io.tessera.server.testing.TestPostgis;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CDB_* compatibility functions of migration V2, run as a user's own key roles against the real PostGIS.
 * One user per class (tables have distinct names per test); a second user for the isolation checks.
 */
class CartodbFunctionsTest {
    private static Platform platform;
    private static User alice;

    private RoleConnection owner;
    private Connection db;

    @BeforeAll
    static void createUser() {
        platform = TestPostgis.platform();
        alice = TestPostgis.newUser("cdb").user();
    }

    @BeforeEach
    void connect() throws SQLException {
        owner = platform.pools().connect(alice.ownerRole());
        db = owner.jdbc();
    }

    @AfterEach
    void close() {
        owner.close();
    }

    @Test
    void cartodbfyGivesIdGeometriesKeyIndexesAndTriggers() throws SQLException {
        exec(db, "CREATE TABLE places (name text, the_geom geometry)");
        exec(db, "INSERT INTO places VALUES ('a', 'SRID=4326;POINT(1 2)'), ('b', NULL)");

        try (PreparedStatement ps = db.prepareStatement("SELECT CDB_CartodbfyTable('places')");
             ResultSet rs = ps.executeQuery()) {
            assertThat(rs.getMetaData().getColumnLabel(1)).isEqualTo("cdb_cartodbfytable");
            assertThat(rs.getMetaData().getColumnTypeName(1)).isEqualTo("regclass");
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("places");
        }

        assertThat(columns(db, "places")).containsExactly(
                "cartodb_id integer", "the_geom geometry(Geometry,4326)",
                "the_geom_webmercator geometry(Geometry,3857)", "name text");
        assertThat(value(db, "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'places'::regclass AND contype = 'p'"))
                .isEqualTo("PRIMARY KEY (cartodb_id)");
        assertThat(values(db, """
                SELECT a.attname FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
                  JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                 WHERE i.indrelid = 'places'::regclass AND am.amname = 'gist' ORDER BY 1"""))
                .containsExactly("the_geom", "the_geom_webmercator");
        assertThat(values(db, "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 'places'::regclass AND NOT tgisinternal ORDER BY tgname"))
                .satisfiesExactly(
                        t -> assertThat(t).contains("track_updates AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE")
                                .contains("FOR EACH STATEMENT EXECUTE FUNCTION cdb_tablemetadata_trigger()"),
                        t -> assertThat(t).contains("update_the_geom_webmercator_trigger BEFORE INSERT OR UPDATE OF the_geom")
                                .contains("FOR EACH ROW EXECUTE FUNCTION _cdb_update_the_geom_webmercator()"));
        assertThat(values(db, "SELECT DISTINCT tgfoid::regprocedure::text FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
                + "WHERE tgrelid = 'places'::regclass AND p.pronamespace <> 'cartodb'::regnamespace")).isEmpty();
        assertThat(value(db, "SELECT pg_get_serial_sequence('places', 'cartodb_id')")).endsWith("places_cartodb_id_seq");

        // Existing rows were numbered and projected; new and updated rows are kept so by the trigger.
        assertThat(values(db, "SELECT cartodb_id || ':' || coalesce(ST_AsText(ST_SnapToGrid(the_geom_webmercator, 1)), '-') FROM places ORDER BY 1"))
                .containsExactly("1:POINT(111319 222684)", "2:-");
        assertThat(value(db, "INSERT INTO places (name, the_geom) VALUES ('c', CDB_LatLng(0, 0)) RETURNING cartodb_id || ' ' || ST_AsEWKT(the_geom_webmercator)"))
                .isEqualTo("3 SRID=3857;POINT(0 0)");
        assertThat(value(db, "UPDATE places SET the_geom = 'SRID=4326;POINT(1 2)' WHERE name = 'b' RETURNING ST_AsText(ST_SnapToGrid(the_geom_webmercator, 1))"))
                .isEqualTo("POINT(111319 222684)");
        assertThat(value(db, "SELECT count(*) FROM cartodb._tessera_table_updated_at(ARRAY['places'::regclass])")).isEqualTo("1");
    }

    @Test
    void aSecondCallChangesNothing() throws SQLException {
        exec(db, "CREATE TABLE again (the_geom geometry(Point,4326), v int)");
        exec(db, "INSERT INTO again VALUES ('SRID=4326;POINT(3 4)', 1)");
        String oid = value(db, "SELECT CDB_CartodbfyTable('again')::oid");
        String stamp = value(db, "SELECT updated_at FROM cartodb._tessera_table_updated_at(ARRAY['again'::regclass])");
        List<String> shape = columns(db, "again");
        List<String> triggers = values(db, "SELECT oid || tgname FROM pg_trigger WHERE tgrelid = 'again'::regclass ORDER BY 1");

        assertThat(value(db, "SELECT CDB_CartodbfyTable('public', 'again')::oid")).isEqualTo(oid);
        assertThat(columns(db, "again")).isEqualTo(shape);
        assertThat(values(db, "SELECT oid || tgname FROM pg_trigger WHERE tgrelid = 'again'::regclass ORDER BY 1")).isEqualTo(triggers);
        assertThat(value(db, "SELECT updated_at FROM cartodb._tessera_table_updated_at(ARRAY['again'::regclass])")).isEqualTo(stamp);
        assertThat(value(db, "SELECT last_value FROM again_cartodb_id_seq")).isEqualTo("1");
    }

    @Test
    void anIntegerPrimaryKeyBecomesCartodbIdInPlace() throws SQLException {
        exec(db, "CREATE TABLE keyed (id serial PRIMARY KEY, the_geom geometry(Geometry,4326), the_geom_webmercator geometry(Geometry,3857), name text)");
        exec(db, "INSERT INTO keyed (id, the_geom, name) VALUES (10, 'SRID=4326;POINT(1 1)', 'x')");
        String before = value(db, "SELECT 'keyed'::regclass::oid");

        assertThat(value(db, "SELECT CDB_CartodbfyTable('keyed')::oid")).isEqualTo(before);
        assertThat(columns(db, "keyed")).containsExactly("cartodb_id integer", "the_geom geometry(Geometry,4326)",
                "the_geom_webmercator geometry(Geometry,3857)", "name text");
        // The stale the_geom_webmercator was computed from the_geom; the serial sequence went past the highest id.
        assertThat(value(db, "SELECT ST_AsText(ST_SnapToGrid(the_geom_webmercator, 1)) FROM keyed")).isEqualTo("POINT(111319 111325)");
        assertThat(value(db, "INSERT INTO keyed (name) VALUES ('y') RETURNING cartodb_id")).isEqualTo("11");
    }

    @Test
    void textTheGeomIsParsedOrMovedAside() throws SQLException {
        exec(db, "CREATE TABLE wkt (name text, the_geom text)");
        exec(db, """
                INSERT INTO wkt VALUES ('wkt', 'POINT(1 2)'), ('ewkt', 'SRID=4326;LINESTRING(0 0,1 1)'),
                  ('hexwkb', '0101000020E6100000000000000000F03F0000000000000040'), ('blank', ''), ('null', NULL)""");
        exec(db, "SELECT CDB_CartodbfyTable('wkt')");
        assertThat(columns(db, "wkt")).startsWith("cartodb_id integer", "the_geom geometry(Geometry,4326)",
                "the_geom_webmercator geometry(Geometry,3857)");
        assertThat(values(db, "SELECT name || ' ' || coalesce(ST_AsEWKT(the_geom), '-') FROM wkt ORDER BY cartodb_id"))
                .containsExactly("wkt SRID=4326;POINT(1 2)", "ewkt SRID=4326;LINESTRING(0 0,1 1)",
                        "hexwkb SRID=4326;POINT(1 2)", "blank -", "null -");
        assertThat(value(db, "SELECT count(*) FROM wkt WHERE the_geom_webmercator IS NOT NULL")).isEqualTo("3");

        exec(db, "CREATE TABLE notwkt (the_geom text, v int)");
        exec(db, "INSERT INTO notwkt VALUES ('somewhere', 1)");
        exec(db, "SELECT CDB_CartodbfyTable('notwkt')");
        assertThat(columns(db, "notwkt")).containsExactly("cartodb_id integer", "the_geom geometry(Geometry,4326)",
                "the_geom_webmercator geometry(Geometry,3857)", "the_geom_str text", "v integer");
        assertThat(value(db, "SELECT the_geom_str || ' ' || (the_geom IS NULL) FROM notwkt")).isEqualTo("somewhere true");
    }

    @Test
    void aWebMercatorTheGeomKeepsItsCoordinatesAsTheGeomWebmercator() throws SQLException {
        exec(db, "CREATE TABLE merc (cartodb_id int, the_geom geometry(Point,3857), n text)");
        exec(db, "INSERT INTO merc VALUES (7, 'SRID=3857;POINT(111319.49079327357 222684.20850554405)', 'a')");
        assertThat(value(db, "SELECT CDB_CartodbfyTable('merc')")).isEqualTo("merc");
        assertThat(columns(db, "merc")).containsExactly("cartodb_id integer", "the_geom geometry(Geometry,4326)",
                "the_geom_webmercator geometry(Geometry,3857)", "n text");
        assertThat(value(db, "SELECT ST_AsEWKT(ST_SnapToGrid(the_geom, 0.000001)) || ' ' || ST_AsEWKT(the_geom_webmercator) FROM merc"))
                .isEqualTo("SRID=4326;POINT(1 2) SRID=3857;POINT(111319.49079327357 222684.20850554405)");
        // The existing ids were kept and the new sequence continues after them.
        assertThat(value(db, "INSERT INTO merc (n) VALUES ('b') RETURNING cartodb_id")).isEqualTo("8");
    }

    @Test
    void otherSridsAreProjectedTo4326() throws SQLException {
        exec(db, "CREATE TABLE utm (geom geometry(Point,25830), x int)");
        exec(db, "INSERT INTO utm VALUES ('SRID=25830;POINT(440000 4474000)', 1)");
        exec(db, "SELECT CDB_CartodbfyTable('utm')");
        assertThat(columns(db, "utm")).containsExactly("cartodb_id integer", "the_geom geometry(Point,4326)",
                "the_geom_webmercator geometry(Geometry,3857)", "x integer");
        assertThat(value(db, "SELECT ST_SRID(the_geom) || ' ' || round(ST_X(the_geom)::numeric, 2) || ' ' || round(ST_Y(the_geom)::numeric, 2) FROM utm"))
                .isEqualTo("4326 -3.71 40.41");
    }

    @Test
    void publicMeansTheCallersSchemaAndUnknownSchemasAreRefused() throws SQLException {
        exec(db, "CREATE TABLE pubschema (a int)");
        assertThat(value(db, "SELECT CDB_CartodbfyTable('public', 'pubschema')")).isEqualTo("pubschema");
        assertThat(value(db, "SELECT relnamespace::regnamespace::text FROM pg_class WHERE oid = 'pubschema'::regclass"))
                .isEqualTo('"' + alice.schema() + '"');
        assertThat(value(db, "SELECT CDB_CartodbfyTable('" + alice.schema() + "', 'pubschema')")).isEqualTo("pubschema");

        assertThatThrownBy(() -> exec(db, "SELECT CDB_CartodbfyTable('nowhere', 'pubschema')"))
                .isInstanceOf(SQLException.class).hasMessageContaining("Invalid schema name \"nowhere\"");
    }

    @Test
    void anUnusableCartodbIdIsAClearError() throws SQLException {
        exec(db, "CREATE TABLE dupes (cartodb_id int, v text)");
        exec(db, "INSERT INTO dupes VALUES (1, 'a'), (1, 'b')");
        assertThatThrownBy(() -> exec(db, "SELECT CDB_CartodbfyTable('dupes')"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("column cartodb_id of")
                .hasMessageContaining("cannot be used as an id: its values are not unique");

        exec(db, "CREATE TABLE words (cartodb_id text, v text)");
        exec(db, "INSERT INTO words VALUES ('1', 'a'), ('two', 'b')");
        assertThatThrownBy(() -> exec(db, "SELECT CDB_CartodbfyTable('words')"))
                .isInstanceOf(SQLException.class).hasMessageContaining("its values are not all integers");

        // Integer text is fine: it is converted.
        exec(db, "CREATE TABLE numbers (cartodb_id text, v text)");
        exec(db, "INSERT INTO numbers VALUES (' 10', 'a'), ('20', 'b')");
        exec(db, "SELECT CDB_CartodbfyTable('numbers')");
        assertThat(values(db, "SELECT cartodb_id FROM numbers ORDER BY 1")).containsExactly("10", "20");
        assertThat(value(db, "INSERT INTO numbers (v) VALUES ('c') RETURNING cartodb_id")).isEqualTo("21");
    }

    @Test
    void aRebuiltTableKeepsItsGrantsDataAndDefinitions() throws Exception {
        exec(db, "CREATE TABLE rebuilt (name text NOT NULL DEFAULT 'anon' CHECK (name <> ''), code text UNIQUE, the_geom geometry(Point,4326))");
        exec(db, "COMMENT ON TABLE rebuilt IS 'kept'");
        exec(db, "INSERT INTO rebuilt (name, code, the_geom) VALUES ('a', 'X', 'SRID=4326;POINT(1 1)')");
        exec(db, "GRANT SELECT ON rebuilt TO \"" + alice.publicRole() + "\"");
        String before = value(db, "SELECT 'rebuilt'::regclass::oid");

        String after = value(db, "SELECT CDB_CartodbfyTable('rebuilt')::oid");
        assertThat(after).isNotEqualTo(before);
        assertThat(value(db, "SELECT obj_description('rebuilt'::regclass, 'pg_class')")).isEqualTo("kept");
        assertThat(value(db, "SELECT name || code || cartodb_id FROM rebuilt")).isEqualTo("aX1");
        assertThat(value(db, "INSERT INTO rebuilt (code) VALUES ('Y') RETURNING name")).isEqualTo("anon");
        assertThatThrownBy(() -> exec(db, "INSERT INTO rebuilt (name, code) VALUES ('', 'Z')")).hasMessageContaining("rebuilt_name_check");
        assertThatThrownBy(() -> exec(db, "INSERT INTO rebuilt (name, code) VALUES ('b', 'X')")).hasMessageContaining("rebuilt_code_key");
        assertThat(value(db, "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'rebuilt'::regclass")).isEqualTo(alice.ownerRole());
        try (RoleConnection pub = platform.pools().connect(alice.publicRole())) {
            assertThat(value(pub.jdbc(), "SELECT count(*) FROM rebuilt")).isEqualTo("2");
        }

        // A view on the table would be lost by the rebuild: refused, with the reason.
        exec(db, "CREATE TABLE viewed (name text)");
        exec(db, "CREATE VIEW viewed_v AS SELECT * FROM viewed");
        assertThatThrownBy(() -> exec(db, "SELECT CDB_CartodbfyTable('viewed')"))
                .hasMessageContaining("other objects depend on it");
    }

    @Test
    void latLngAndTransformToWebmercator() throws SQLException {
        assertThat(value(db, "SELECT ST_AsEWKT(CDB_LatLng(40.5, -3.7))")).isEqualTo("SRID=4326;POINT(-3.7 40.5)");
        assertThat(value(db, "SELECT ST_AsEWKT(CDB_LatLng(40.5::float8, -3.7::float8))")).isEqualTo("SRID=4326;POINT(-3.7 40.5)");
        assertThat(value(db, "SELECT ST_AsEWKT(CDB_LatLng(1, 2))")).isEqualTo("SRID=4326;POINT(2 1)");

        assertThat(value(db, "SELECT ST_AsEWKT(ST_SnapToGrid(CDB_TransformToWebmercator(CDB_LatLng(2, 1)), 1))"))
                .isEqualTo("SRID=3857;POINT(111319 222684)");
        assertThat(value(db, "SELECT ST_AsEWKT(CDB_TransformToWebmercator('SRID=3857;POINT(1.5 2.5)'))"))
                .isEqualTo("SRID=3857;POINT(1.5 2.5)");
        // Beyond web mercator's latitude range: a point vanishes (EMPTY), a line is clipped at ±85.0511°.
        assertThat(value(db, "SELECT ST_AsEWKT(CDB_TransformToWebmercator(CDB_LatLng(89, 0)))")).isEqualTo("SRID=3857;POINT EMPTY");
        assertThat(value(db, "SELECT ST_AsEWKT(ST_SnapToGrid(CDB_TransformToWebmercator('SRID=4326;LINESTRING(0 0, 0 89)'), 1))"))
                .isEqualTo("SRID=3857;LINESTRING(0 0,0 20037508)");
        assertThat(value(db, "SELECT CDB_TransformToWebmercator(NULL) IS NULL")).isEqualTo("t");
        assertThat(value(db, "SELECT provolatile::text || proisstrict::text || proparallel::text FROM pg_proc WHERE oid = 'cartodb.cdb_transformtowebmercator(geometry)'::regprocedure"))
                .isEqualTo("itrues");
    }

    @Test
    void userTablesByPermissionForTheOwnerAndThePublicRole() throws SQLException {
        User u = TestPostgis.newUser("cdbtables").user();
        try (RoleConnection o = platform.pools().connect(u.ownerRole())) {
            Connection c = o.jdbc();
            exec(c, "CREATE TABLE shown (a int)");
            exec(c, "CREATE TABLE hidden (a int)");
            exec(c, "CREATE VIEW a_view AS SELECT 1 AS one");
            exec(c, "GRANT SELECT ON shown TO \"" + u.publicRole() + "\"");
            try (PreparedStatement ps = c.prepareStatement("SELECT CDB_UserTables() LIMIT 500 OFFSET 0");
                 ResultSet rs = ps.executeQuery()) {
                assertThat(rs.getMetaData().getColumnLabel(1)).isEqualTo("cdb_usertables");
            }
            assertThat(values(c, "SELECT CDB_UserTables()")).containsExactly("hidden", "shown");
            assertThat(values(c, "SELECT CDB_UserTables('all')")).containsExactly("hidden", "shown");
            assertThat(values(c, "SELECT CDB_UserTables('public')")).containsExactly("shown");
            assertThat(values(c, "SELECT CDB_UserTables('private')")).containsExactly("hidden");
        }
        try (RoleConnection p = platform.pools().connect(u.publicRole())) {
            assertThat(values(p.jdbc(), "SELECT * FROM CDB_UserTables()")).containsExactly("shown");
            assertThat(values(p.jdbc(), "SELECT CDB_UserTables('private')")).isEmpty();
            assertThat(value(p.jdbc(), "SELECT CDB_Username()")).isEqualTo(u.username());
        }
    }

    @Test
    void introspectionFunctions() throws SQLException {
        exec(db, "CREATE TABLE described (a int, b text[], g geometry(Point,4326))");
        assertThat(value(db, "SELECT CDB_Username()")).isEqualTo(alice.username());
        assertThat(values(db, "SELECT CDB_ColumnNames('described')")).containsExactly("a", "b", "g");
        assertThat(value(db, "SELECT CDB_ColumnType('described', 'a')")).isEqualTo("integer");
        assertThat(value(db, "SELECT CDB_ColumnType('described', 'b')")).isEqualTo("text[]");
        assertThat(value(db, "SELECT CDB_ColumnType('described', 'g')")).isEqualTo("geometry");
        // The public role has no privilege on the table: it learns nothing about its columns.
        try (RoleConnection pub = platform.pools().connect(alice.publicRole())) {
            assertThat(values(pub.jdbc(), "SELECT CDB_ColumnNames('described')")).isEmpty();
        }
    }

    @Test
    void updatedAtMovesWhenDataChanges() throws Exception {
        exec(db, "CREATE TABLE stamped (v int)");
        exec(db, "SELECT CDB_CartodbfyTable('stamped')");
        Instant first = stamp(db, "stamped");
        exec(db, "INSERT INTO stamped (v) VALUES (1)");
        Instant second = stamp(db, "stamped");
        assertThat(second).isAfter(first);
        exec(db, "SELECT CDB_TableMetadataTouch('stamped')");
        assertThat(stamp(db, "stamped")).isAfter(second);
        // A statement that changes no row still counts (statement-level trigger, as CARTO).
        Instant third = stamp(db, "stamped");
        exec(db, "DELETE FROM stamped WHERE false");
        assertThat(stamp(db, "stamped")).isAfter(third);
    }

    @Test
    void metadataOfOneTenantIsClosedToOthers() throws SQLException {
        exec(db, "CREATE TABLE secret (v int)");
        exec(db, "CREATE TABLE shared (v int)");
        exec(db, "SELECT CDB_CartodbfyTable('secret'), CDB_CartodbfyTable('shared')");
        exec(db, "GRANT SELECT ON shared TO \"" + alice.publicRole() + "\"");
        String secret = value(db, "SELECT 'secret'::regclass::oid");
        String shared = value(db, "SELECT 'shared'::regclass::oid");
        String stamps = "SELECT count(*) FROM cartodb._tessera_table_updated_at(ARRAY[" + secret + ", " + shared + "]::regclass[])";
        assertThat(value(db, stamps)).isEqualTo("2");

        User bob = TestPostgis.newUser("cdbother").user();
        for (String role : List.of(bob.ownerRole(), bob.publicRole())) {
            try (RoleConnection other = platform.pools().connect(role)) {
                Connection c = other.jdbc();
                assertThat(value(c, stamps)).isEqualTo("0");
                assertThatThrownBy(() -> exec(c, "SELECT CDB_TableMetadataTouch(" + secret + ")"))
                        .hasMessageContaining("permission denied");
                assertThatThrownBy(() -> exec(c, "SELECT CDB_CartodbfyTable(" + secret + "::regclass)"))
                        .hasMessageContaining("must be owner");
                assertThatThrownBy(() -> exec(c, "SELECT * FROM cartodb.cdb_tablemetadata"))
                        .hasMessageContaining("permission denied");
                assertThatThrownBy(() -> exec(c, "SELECT cartodb._tessera_stamp_table(" + secret + ")"))
                        .hasMessageContaining("permission denied");
            }
        }
        // A's public role sees the stamp of the public table only, and may not touch either.
        try (RoleConnection pub = platform.pools().connect(alice.publicRole())) {
            assertThat(values(pub.jdbc(), "SELECT tabname::oid FROM cartodb._tessera_table_updated_at(ARRAY[" + secret + ", " + shared + "]::regclass[])"))
                    .containsExactly(shared);
            assertThatThrownBy(() -> exec(pub.jdbc(), "SELECT CDB_TableMetadataTouch(" + shared + ")"))
                    .hasMessageContaining("permission denied");
        }
        try (Connection admin = platform.admin().dataSource().getConnection()) {
            assertThat(value(admin, "SELECT count(*) FROM cartodb.cdb_tablemetadata WHERE tabname IN (" + secret + ", " + shared + ")"))
                    .isEqualTo("2");
        }
    }

    @Test
    void definerFunctionsPinTheirSearchPath() throws SQLException {
        try (Connection admin = platform.admin().dataSource().getConnection()) {
            assertThat(values(admin, """
                    SELECT p.oid::regprocedure::text FROM pg_proc p
                     WHERE p.pronamespace = 'cartodb'::regnamespace AND p.prosecdef
                       AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false)"""))
                    .isEmpty();
        }
    }

    // --- small JDBC helpers -------------------------------------------------------------------------

    private static void exec(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.execute();
        }
    }

    private static String value(Connection c, String sql) throws SQLException {
        List<String> all = values(c, sql);
        assertThat(all).as(sql).hasSize(1);
        return all.get(0);
    }

    private static List<String> values(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static Instant stamp(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT updated_at FROM cartodb._tessera_table_updated_at(ARRAY[?::regclass])")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("stamp of " + table).isTrue();
                return rs.getTimestamp(1).toInstant();
            }
        }
    }

    /** "name type" of each column, in order. */
    private static List<String> columns(Connection c, String table) throws SQLException {
        return values(c, "SELECT attname || ' ' || format_type(atttypid, atttypmod) FROM pg_attribute "
                + "WHERE attrelid = '" + table + "'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum");
    }
}

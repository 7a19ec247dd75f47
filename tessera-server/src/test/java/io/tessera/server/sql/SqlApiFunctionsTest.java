package io.tessera.server.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.server.auth.User;
import io.tessera.server.db.RoleConnection;
import io.tessera.server.testing.TestPostgis;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CDB_* functions of migration V10 (bins, tiles, grids, row estimates), as a user's own key role. */
class SqlApiFunctionsTest {
    private static RoleConnection owner;

    @BeforeAll
    static void connect() throws SQLException {
        User u = TestPostgis.newUser("cdbfn").user();
        owner = TestPostgis.platform().pools().connect(u.ownerRole());
        owner.jdbc().setAutoCommit(true);
    }

    @AfterAll
    static void close() {
        owner.close();
    }

    private static String one(String sql) throws SQLException {
        try (Statement st = owner.jdbc().createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static final String DATA = "ARRAY[1, 2, 3, 10, 11, 12, 50, 51, 100]::numeric[]";

    @Test
    void binsFollowTheirDefinitions() throws SQLException {
        assertThat(one("SELECT CDB_QuantileBins(" + DATA + ", 3)")).isEqualTo("{3,12,100}");
        assertThat(one("SELECT CDB_EqualIntervalBins(" + DATA + ", 3)::int[]")).isEqualTo("{34,67,100}");
        assertThat(one("SELECT CDB_HeadsTailsBins(" + DATA + ", 3)::numeric(10,2)[]")).isEqualTo("{26.67,67.00,100.00}");
        // Natural breaks: the three clusters of the data.
        assertThat(one("SELECT CDB_JenksBins(" + DATA + ", 3)")).isEqualTo("{12,51,100}");
        assertThat(one("SELECT CDB_JenksBins(" + DATA + ", 3, 5, true)")).isEqualTo("{100,51,12}");
        assertThat(one("SELECT CDB_JenksBins(ARRAY[]::numeric[], 3)")).isEqualTo("{}");
    }

    @Test
    void tileHelpersMatchWebMercator() throws SQLException {
        assertThat(Double.parseDouble(one("SELECT CDB_XYZ_Resolution(0)"))).isCloseTo(156543.03392804097, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(one("SELECT ST_AsText(ST_SnapToGrid(CDB_XYZ_Extent(0, 0, 1), 1))"))
                .isEqualTo("POLYGON((-20037508 0,-20037508 20037508,0 20037508,0 0,-20037508 0))");
    }

    @Test
    void gridsCoverTheExtentAndRefuseTooManyCells() throws SQLException {
        assertThat(one("SELECT count(*) FROM CDB_RectangleGrid(ST_MakeEnvelope(0, 0, 10, 5, 3857), 2, 5)")).isEqualTo("5");
        assertThat(Integer.parseInt(one("SELECT count(*) FROM CDB_HexagonGrid(ST_MakeEnvelope(0, 0, 100, 100, 3857), 10)"))).isGreaterThan(30);
        assertThatThrownBy(() -> one("SELECT count(*) FROM CDB_RectangleGrid(ST_MakeEnvelope(0, 0, 1000, 1000, 3857), 1, 1, NULL, 100)"))
                .hasMessageContaining("too many cells");
    }

    @Test
    void rowEstimateComesFromThePlanner() throws SQLException {
        assertThat(one("SELECT CDB_EstimateRowCount('SELECT * FROM generate_series(1, 10)')")).isEqualTo("10");
    }
}

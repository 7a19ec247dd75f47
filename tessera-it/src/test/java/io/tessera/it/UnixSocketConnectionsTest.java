package io.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.client.sql.SqlClient;
import io.tessera.server.auth.Accounts;
import io.tessera.server.db.UnixSocketFactory;
import io.tessera.server.testing.TestPostgis;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Key roles reach the embedded cluster over its Unix-domain socket (cheaper than TCP loopback for PostgreSQL and
 * the JVM alike), still logging in as themselves, with scram-sha-256; the socket's read timeout, which the driver
 * uses to check and cancel, lapses instead of blocking for ever. (The watchdog's cancel over the socket is
 * {@code SqlApiTest.timeoutIs429AndTheNextRequestWorks}.)
 */
class UnixSocketConnectionsTest {
    @Test
    void keyRolesConnectOverTheClustersUnixSocketAsThemselves() {
        Path socket = TestPostgis.platform().socketFile().orElseThrow(); // the test fixture is the embedded cluster
        assertThat(socket.getFileName().toString()).startsWith(".s.PGSQL.");
        Accounts.Created user = TesseraHarness.newUser("unix");
        SqlClient sql = TesseraHarness.master(user);
        var row = sql.send("SELECT inet_server_addr() IS NULL AS unix, session_user AS who").get("rows").get(0);
        assertThat(row.get("unix").asBoolean()).as("no server address: a Unix-domain connection").isTrue();
        assertThat(row.get("who").asText()).isEqualTo(user.user().ownerRole());
    }

    @Test
    void aReadTimeoutLapsesAndClosesTheSocket() throws Exception {
        Path socket = TestPostgis.platform().socketFile().orElseThrow();
        Socket s = new UnixSocketFactory(socket.toString()).createSocket();
        s.connect(null, 0);
        s.setSoTimeout(200);
        long start = System.nanoTime();
        // the server says nothing until it gets a startup packet
        assertThatThrownBy(() -> s.getInputStream().read(new byte[16], 0, 16)).isInstanceOf(SocketTimeoutException.class);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(190);
        assertThat(s.isClosed()).isTrue();
    }
}

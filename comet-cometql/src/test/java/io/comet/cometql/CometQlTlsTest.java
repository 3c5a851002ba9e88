package io.comet.cometql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.comet.core.ConnectRequest;
import io.comet.core.engine.InProcessClient;
import io.comet.core.json.Json;
import io.comet.tls.TestCa;
import java.io.File;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15 point 2: the MySQL {@code SSLRequest} upgrade with a certificate of a CA made at test
 * time, checked by real clients that verify the server (chain and host name): Connector/J
 * {@code sslMode=VERIFY_IDENTITY} (with {@code caching_sha2_password} and
 * {@code mysql_native_password} as the client's first plugin), MariaDB Connector/J
 * {@code sslMode=verify-full}, the mariadb CLI {@code --ssl --ssl-verify-server-cert --ssl-ca},
 * PHP mysqli with {@code MYSQLI_CLIENT_SSL} and peer verification, Node {@code mysql2} with
 * {@code ssl.ca}: each connects and publishes. {@code require_tls} refuses a plain login with ERR
 * 3159 and still serves TLS ones; without it, plain logins keep working beside TLS ones.
 * Under CI a missing external client fails (as in {@link ExternalClientsTest}).
 */
class CometQlTlsTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    static TestCa ca;
    static TestServer offered;
    static TestServer required;

    @BeforeAll
    static void start() {
        ca = TestCa.create(dir);
        TestCa.Issued cert = ca.issue("cometql", "comet-cometql");
        offered = new TestServer(CometQlConfig.builder().ip("127.0.0.1").port(0).tls(cert.files(Duration.ZERO)).build());
        required = new TestServer(CometQlConfig.builder().ip("127.0.0.1").port(0).tls(cert.files(Duration.ZERO))
                .requireTls(true).build());
    }

    @AfterAll
    static void stop() {
        offered.close();
        required.close();
    }

    private static InProcessClient subscriber(TestServer ts, String pipe) {
        InProcessClient c = ts.engine.connectInProcess(ConnectRequest.anonymous(0, "tab-" + pipe));
        c.subscribe(List.of(pipe));
        return c;
    }

    private static String mysqlUrl(TestServer ts, String params) {
        return "jdbc:mysql://localhost:" + ts.port() + "/CometQL_v1?" + params;
    }

    private static String verifyIdentity(TestCa trusted) {
        return "sslMode=VERIFY_IDENTITY&trustCertificateKeyStoreUrl=" + trusted.trustStore().toUri()
                + "&trustCertificateKeyStoreType=PKCS12&trustCertificateKeyStorePassword=changeit";
    }

    private static void publish(Connection c, String pipe, String text) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO pipes_messages (name, event, message) VALUES ('" + pipe + "', 'e', '" + text + "')");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"caching_sha2_password", "mysql_native_password"})
    void connectorJVerifyIdentityConnectsAndPublishes(String plugin) throws Exception {
        String pipe = "web_tls_cj_" + plugin.substring(0, 5);
        InProcessClient tab = subscriber(required, pipe);
        try (Connection c = DriverManager.getConnection(mysqlUrl(required, verifyIdentity(ca)
                + "&defaultAuthenticationPlugin=" + plugin), "root", TestServer.PASSWORD)) {
            publish(c, pipe, "cj over tls");
        }
        assertThat(tab.await(m -> m.pipe().equals(pipe), WAIT).text()).isEqualTo("cj over tls");
        tab.disconnect();
    }

    private static Path otherCa() throws Exception {
        return TestCa.create(java.nio.file.Files.createDirectories(dir.resolve("php-node-other"))).caPem();
    }

    @Test
    void connectorJRefusesAServerItCannotVerify() throws Exception {
        TestCa other = TestCa.create(java.nio.file.Files.createDirectories(dir.resolve("other")));
        assertThatThrownBy(() -> DriverManager.getConnection(mysqlUrl(offered, verifyIdentity(other)), "root",
                TestServer.PASSWORD).close()).isInstanceOf(SQLException.class);
    }

    @Test
    void mariadbConnectorJVerifyFullConnectsAndPublishes() throws Exception {
        InProcessClient tab = subscriber(required, "web_tls_mariadb_j");
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://localhost:" + required.port()
                + "/CometQL_v1?sslMode=verify-full&serverSslCert=" + ca.caPem(), "root", TestServer.PASSWORD)) {
            publish(c, "web_tls_mariadb_j", "mariadb-j over tls");
        }
        assertThat(tab.await(m -> m.pipe().equals("web_tls_mariadb_j"), WAIT).text()).isEqualTo("mariadb-j over tls");
        tab.disconnect();
    }

    @Test
    void requireTlsRefusesAPlainLoginWith3159AndPlainStillWorksWhereTlsIsOnlyOffered() throws Exception {
        assertThatThrownBy(() -> DriverManager.getConnection(mysqlUrl(required, "sslMode=DISABLED"), "root",
                TestServer.PASSWORD).close()).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(3159));
        InProcessClient tab = subscriber(offered, "web_tls_plain");
        try (Connection c = DriverManager.getConnection(mysqlUrl(offered, "sslMode=DISABLED"), "root", TestServer.PASSWORD)) {
            publish(c, "web_tls_plain", "plain beside tls");
        }
        assertThat(tab.await(m -> m.pipe().equals("web_tls_plain"), WAIT).text()).isEqualTo("plain beside tls");
        tab.disconnect();
        Properties p = new Properties();
        p.setProperty("user", "root");
        p.setProperty("password", "wrong");
        p.setProperty("sslMode", "VERIFY_IDENTITY");
        p.setProperty("trustCertificateKeyStoreUrl", ca.trustStore().toUri().toString());
        p.setProperty("trustCertificateKeyStoreType", "PKCS12");
        p.setProperty("trustCertificateKeyStorePassword", "changeit");
        assertThatThrownBy(() -> DriverManager.getConnection(mysqlUrl(required, ""), p).close())
                .as("a wrong password over TLS is still refused").isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(16));
    }

    @Test
    void mariadbCliWithSslVerifyServerCertPublishes() throws Exception {
        ExternalProcess.requireTool("mariadb");
        InProcessClient tab = subscriber(required, "web_tls_cli");
        ExternalProcess.Result r = ExternalProcess.run(List.of("mariadb", "--ssl", "--ssl-verify-server-cert",
                "--ssl-ca=" + ca.caPem(), "-h", "localhost", "--protocol=TCP", "-P", Integer.toString(required.port()),
                "-uroot", "-p" + TestServer.PASSWORD, "-DCometQL_v1", "-e",
                "INSERT INTO pipes_messages (name, event, message) VALUES ('web_tls_cli', 'e', 'cli over tls')"), null, null);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(tab.await(m -> m.pipe().equals("web_tls_cli"), WAIT).text()).isEqualTo("cli over tls");
        // the same CLI without TLS is refused by require_tls
        ExternalProcess.Result plain = ExternalProcess.run(List.of("mariadb", "--skip-ssl", "-h", "127.0.0.1", "-P",
                Integer.toString(required.port()), "-uroot", "-p" + TestServer.PASSWORD, "-e", "SELECT 1"), null, null);
        assertThat(plain.exit()).isNotZero();
        assertThat(plain.err()).contains("3159").contains("insecure transport");
        tab.disconnect();
    }

    @Test
    void phpMysqliWithSslAndPeerVerificationRunsTheChecklist() throws Exception {
        ExternalProcess.requireTool("php");
        InProcessClient tab = subscriber(required, "web_tls_php");
        ExternalProcess.Result r = ExternalProcess.run(List.of("php", new File("src/test/php/checklist.php").getPath(),
                Integer.toString(required.port()), TestServer.PASSWORD, "web_tls_php", "61", ca.caPem().toString()), null, null);
        assertThat(r.exit()).as(r.toString()).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) Json.parse(r.out().strip());
        assertThat(out).containsEntry("connected", true).containsEntry("quit", true);
        // require_tls: the checklist's login was encrypted; and the peer was verified: another CA fails
        assertThat(tab.await(m -> m.pipe().equals("web_tls_php"), WAIT).text()).isEqualTo("it's \"mysqli\" \\ ok");
        tab.disconnect();
        ExternalProcess.Result untrusted = ExternalProcess.run(List.of("php", new File("src/test/php/checklist.php").getPath(),
                Integer.toString(required.port()), TestServer.PASSWORD, "web_tls_php", "61", otherCa().toString()), null, null);
        assertThat(untrusted.exit()).as(untrusted.toString()).isNotZero();
        assertThat(untrusted.out()).contains("fatal");
    }

    @Test
    void nodeMysql2WithSslCaRunsTheChecklist() throws Exception {
        ExternalProcess.requireTool("node");
        File nodeDir = new File("src/test/node");
        ExternalProcess.require(new File(nodeDir, "node_modules/mysql2").isDirectory(),
                "npm package mysql2 is not installed (run .ci/install-cometql-clients.sh)");
        InProcessClient tab = subscriber(required, "web_tls_node");
        ExternalProcess.Result r = ExternalProcess.run(List.of("node", "checklist.js", "mysql2",
                Integer.toString(required.port()), TestServer.PASSWORD, "web_tls_node", "62", ca.caPem().toString()), null, nodeDir);
        assertThat(r.exit()).as(r.toString()).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) Json.parse(r.out().strip());
        assertThat(out).containsEntry("connected", true).containsEntry("quit", true);
        assertThat(tab.await(m -> m.pipe().equals("web_tls_node"), WAIT).text()).isEqualTo("it's \"mysql2\" \\ ok");
        tab.disconnect();
        ExternalProcess.Result untrusted = ExternalProcess.run(List.of("node", "checklist.js", "mysql2",
                Integer.toString(required.port()), TestServer.PASSWORD, "web_tls_node", "62", otherCa().toString()), null, nodeDir);
        assertThat(untrusted.exit()).as(untrusted.toString()).isNotZero();
        assertThat(untrusted.out()).contains("fatal");
    }
}

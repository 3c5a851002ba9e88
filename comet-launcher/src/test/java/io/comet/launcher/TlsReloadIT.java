package io.comet.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.tls.TestCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 points 1 and 2 through the real jar (failsafe): a comet.ini with {@code [ws]} and
 * {@code [cometql]} {@code tls_cert}/{@code tls_key} and {@code require_tls}; the browser port
 * serves the configured certificate, Connector/J publishes with {@code VERIFY_IDENTITY}, and a
 * {@code SIGHUP} (what {@code systemctl reload comet} sends) makes new connections get the
 * renewed certificate at once, before the periodic file check (10 s) could.
 */
class TlsReloadIT {

    @TempDir
    Path dir;

    private static String subject(int port, TestCa ca) throws Exception {
        try (SSLSocket s = (SSLSocket) ca.clientContext().getSocketFactory().createSocket("127.0.0.1", port)) {
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    @Test
    void sighupServesTheRenewedCertificateAtOnce() throws Exception {
        TestCa ca = TestCa.create(dir);
        TestCa.Issued web = ca.issue("web", "comet-web-a");
        TestCa.Issued ql = ca.issue("ql", "comet-ql-a");
        Path ini = dir.resolve("comet.ini");
        Files.writeString(ini, "[main]\npassword = tls-secret\n[ws]\nip = 127.0.0.1\nport = 0\ntls_cert = " + web.certChain()
                + "\ntls_key = " + web.privateKey() + "\n[cometql]\nip = 127.0.0.1\nport = 0\ntls_cert = " + ql.certChain()
                + "\ntls_key = " + ql.privateKey() + "\nrequire_tls = true\n");
        try (CometProcess p = CometProcess.start(dir, ini, "tls")) {
            assertThat(subject(p.webPort, ca)).isEqualTo("CN=comet-web-a");
            try (Connection c = DriverManager.getConnection("jdbc:mysql://localhost:" + p.cometqlPort
                    + "/CometQL_v1?sslMode=VERIFY_IDENTITY&trustCertificateKeyStoreUrl=" + ca.trustStore().toUri()
                    + "&trustCertificateKeyStoreType=PKCS12&trustCertificateKeyStorePassword=changeit", "root", "tls-secret");
                 Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO pipes_messages (name, event, message) VALUES ('web_tls_it', 'e', 'x')");
            }
            TestCa.Issued renewed = ca.issue("renewed", "comet-web-b");
            Files.move(renewed.privateKey(), web.privateKey(), StandardCopyOption.REPLACE_EXISTING);
            Files.move(renewed.certChain(), web.certChain(), StandardCopyOption.REPLACE_EXISTING);
            Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(p.process.pid())).start();
            assertThat(hup.waitFor(10, TimeUnit.SECONDS)).isTrue();
            CometProcess.awaitLine(p.process, p.logFile, Pattern.compile("SIGHUP: TLS certificates reloaded"), 8);
            assertThat(subject(p.webPort, ca)).isEqualTo("CN=comet-web-b");
            assertThat(p.process.isAlive()).as("SIGHUP does not stop the server").isTrue();
        }
    }
}

package io.comet.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.core.ConnectRequest;
import io.comet.core.engine.InProcessClient;
import io.comet.tls.TestCa;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 point 1 through {@link CometServer#builder()}: {@code webTls(…)} makes the browser port
 * HTTPS (the start page address says so) and CometQL over HTTP goes over it; {@code webPlainPort}
 * adds the plain port; {@link CometServer#reloadTls()} (SIGHUP in the launcher) renews the certificate.
 */
class TlsCometServerTest {

    @TempDir
    Path dir;

    @Test
    void cometQlOverHttpGoesOverTheHttpsPortAndReloadTlsRenewsTheCertificate() throws Exception {
        TestCa ca = TestCa.create(dir);
        TestCa.Issued cert = ca.issue("web", "comet-server-web");
        try (CometServer comet = CometServer.builder().ip("127.0.0.1").webPort(0).cometqlPort(0).webThreads(1)
                .password("pw").webTls(cert.files(Duration.ZERO)).webPlainPort(0).start()) {
            assertThat(comet.pageUrl()).isEqualTo("https://127.0.0.1:" + comet.webPort() + "/");
            assertThat(comet.web().plainPort()).isPositive();
            InProcessClient tab = comet.engine().connectInProcess(ConnectRequest.anonymous(0, "tab"));
            tab.subscribe(List.of("web_https"));
            HttpClient https = HttpClient.newBuilder().sslContext(ca.clientContext()).build();
            HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create("https://localhost:" + comet.webPort()
                    + CometServer.COMETQL_HTTP_PATH))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("root:pw".getBytes(StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "INSERT INTO pipes_messages (name, event, message) VALUES ('web_https', 'e', 'over https')"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(tab.await(m -> m.pipe().equals("web_https"), Duration.ofSeconds(10)).text()).isEqualTo("over https");

            assertThat(comet.reloadTls()).as("unchanged files").isFalse();
            TestCa.Issued renewed = ca.issue("renewed", "comet-server-renewed");
            java.nio.file.Files.copy(renewed.privateKey(), cert.privateKey(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            java.nio.file.Files.copy(renewed.certChain(), cert.certChain(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertThat(comet.reloadTls()).isTrue();
            HttpResponse<String> info = HttpClient.newBuilder().sslContext(ca.clientContext()).build()
                    .send(HttpRequest.newBuilder(URI.create("https://localhost:" + comet.webPort() + "/info")).build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(((java.security.cert.X509Certificate) info.sslSession().orElseThrow().getPeerCertificates()[0])
                    .getSubjectX500Principal().getName()).isEqualTo("CN=comet-server-renewed");
            tab.disconnect();
        }
    }
}

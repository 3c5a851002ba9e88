package io.comet.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.comet.core.json.Json;
import io.comet.test.client.ClientPaths;
import io.comet.test.client.CometWsClient;
import io.comet.tls.ServerTls;
import io.comet.tls.TestCa;
import io.comet.tls.TlsFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 point 1 on the browser listener: with {@code tls(…)} the port speaks HTTPS and WSS
 * (the JDK's HTTP and WebSocket clients, trusting only a CA made at test time and checking the
 * host name), long-poll works over HTTPS with the WebSocket's session semantics, static files
 * cross TLS, a plain port beside it serves the same sessions, the TLS port refuses plain HTTP,
 * and a renewed certificate is served without a restart.
 */
class TlsWebServerTest {

    @TempDir
    Path dir;

    private TestCa ca;
    private TestCa.Issued cert;
    private ServerFixture f;
    private HttpClient https;

    @BeforeEach
    void start() throws IOException {
        ca = TestCa.create(dir);
        cert = ca.issue("web", "comet-web");
        Path www = Files.createDirectory(dir.resolve("www"));
        Files.write(www.resolve("big.txt"), "0123456789abcdef".repeat(20_000).getBytes()); // 320 KB: many TLS records
        f = new ServerFixture(c -> c.tls(cert.files(Duration.ZERO)).plainPort(0).baseDir(www)
                .longPollTimeout(Duration.ofSeconds(2)));
        https = HttpClient.newBuilder().sslContext(ca.clientContext()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    private String base() {
        return "https://localhost:" + f.port;
    }

    @Test
    void httpsServesRoutesAndStaticFilesWithTheConfiguredCertificate() throws Exception {
        assertThat(f.server.secure()).isTrue();
        HttpResponse<String> info = https.send(HttpRequest.newBuilder(URI.create(base() + "/info")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(info.body()).contains("\"status\":\"ok\"");
        assertThat(((X509Certificate) info.sslSession().orElseThrow().getPeerCertificates()[0])
                .getSubjectX500Principal().getName()).isEqualTo("CN=comet-web");
        assertThat(info.sslSession().orElseThrow().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
        HttpResponse<byte[]> big = https.send(HttpRequest.newBuilder(URI.create(base() + "/big.txt")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(big.statusCode()).isEqualTo(200);
        assertThat(big.body()).isEqualTo(Files.readAllBytes(dir.resolve("www/big.txt")));
        HttpResponse<String> js = https.send(HttpRequest.newBuilder(URI.create(base() + "/CometServerApi.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(js.statusCode()).isEqualTo(200);
    }

    @Test
    void wssAndLongPollOverHttpsShareSessionsWithThePlainPort() throws Exception {
        // WSS through the JDK's WebSocket client
        LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket wss = https.newWebSocketBuilder().buildAsync(URI.create("wss://localhost:" + f.port
                + "/ws/sesion=undefined&myid=undefined&devid=0&v=4.08&uuid=wssuuid&api=js"), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            frames.add(text.toString());
                            text.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        assertThat(frames.poll(10, TimeUnit.SECONDS)).contains("serverInfo");
        wss.sendText("subscription\nweb_tls", true).get(5, TimeUnit.SECONDS);

        // long-poll over HTTPS subscribes to the same pipe
        String lp = base() + "/lp/sesion=&myid=0&devid=0&v=4.08&uuid=lptls&api=js&lp=lp_tls_0123456789ab";
        assertThat(poll(lp, "")).contains("serverInfo");
        poll(lp, Json.write(List.of("subscription\nweb_tls")));

        // and a plain WebSocket on the plain port beside it
        assertThat(f.server.plainPort()).isPositive().isNotEqualTo(f.port);
        CometWsClient plain = f.track(CometWsClient.open(f.server.plainPort(), ClientPaths.of("", "undefined", "undefined", 0,
                "4.08", "plainuuid")));
        plain.await("sys", "serverInfo");
        plain.send("subscription\nweb_tls");

        await().atMost(Duration.ofSeconds(10)).until(() -> f.engine.subscriberCount(0, "web_tls") == 3);
        f.engine.publish(0, "web_tls", "news", "over every door");
        assertThat(f.await(plain, "web_tls", "news")).containsEntry("data", "over every door");
        String got;
        do {
            got = frames.poll(10, TimeUnit.SECONDS);
            assertThat(got).isNotNull();
        } while (!got.contains("web_tls"));
        assertThat(got).contains("over every door");
        await().atMost(Duration.ofSeconds(10)).until(() -> poll(lp, "").contains("over every door"));
        wss.abort();
    }

    private String poll(String url, String body) throws Exception {
        HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    @Test
    void theTlsPortRefusesPlainHttpAndClientsThatDoNotTrustTheCa() throws Exception {
        HttpClient plain = HttpClient.newHttpClient();
        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + f.port + "/info"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
        HttpResponse<String> beside = plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + f.server.plainPort() + "/info")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(beside.statusCode()).isEqualTo(200);
        TestCa other = TestCa.create(Files.createDirectory(dir.resolve("other")));
        HttpClient untrusting = HttpClient.newBuilder().sslContext(other.clientContext()).build();
        assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(URI.create(base() + "/info")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void aRenewedCertificateIsServedWithoutARestart() throws Exception {
        ServerTls tls = f.server.tls();
        TestCa.Issued renewed = ca.issue("renewed", "comet-web-renewed");
        Files.move(renewed.privateKey(), cert.privateKey(), StandardCopyOption.REPLACE_EXISTING);
        Files.move(renewed.certChain(), cert.certChain(), StandardCopyOption.REPLACE_EXISTING);
        assertThat(tls.reload()).isTrue();
        try (SSLSocket s = (SSLSocket) ca.clientContext().getSocketFactory().createSocket("127.0.0.1", f.port)) {
            s.startHandshake();
            assertThat(((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName())
                    .isEqualTo("CN=comet-web-renewed");
        }
    }

    @Test
    void badCertificateFilesFailTheBuildWithTheReason() {
        TestCa.Issued other = ca.issue("other", "other");
        assertThatThrownBy(() -> CometWebServer.builder().engine(f.engine).config(WebConfig.builder().port(0)
                .tls(new TlsFiles(cert.certChain(), other.privateKey(), Duration.ZERO)).build()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HTTP/WebSocket TLS")
                .hasMessageContaining("does not belong");
    }
}

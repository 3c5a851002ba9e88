package io.comet.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.core.CometConfig;
import io.comet.core.engine.CometEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plain HTTP side of the listener: §1.9 endpoints, static files (issue point 5), client script, HttpEndpoint. */
class HttpRoutesTest {

    @TempDir
    Path tmp;

    private CometEngine engine;
    private CometWebServer server;
    private int port;
    private Path base;

    @BeforeEach
    void start() throws Exception {
        base = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(base.resolve("index.html"), "<h1>hello</h1>");
        Files.writeString(base.resolve("app.js"), "var x = 1;");
        Files.writeString(base.resolve("data.bin"), "binary");
        Files.writeString(base.resolve("README"), "no extension");
        Files.createDirectories(base.resolve("sub"));
        Files.createDirectories(base.resolve("folder.html"));
        Files.writeString(tmp.resolve("secret.txt"), "TOP SECRET");
        Files.createSymbolicLink(base.resolve("link.txt"), tmp.resolve("secret.txt"));
        Files.createSymbolicLink(base.resolve("sub").resolve("out.html"), tmp.resolve("secret.txt"));
        Files.writeString(base.resolve("inner.txt"), "inner");
        Files.createSymbolicLink(base.resolve("alias.txt"), base.resolve("inner.txt"));
        engine = CometEngine.builder().maintenanceIntervalSeconds(0)
                .config(CometConfig.builder().serverName("Comet test server").build()).build();
        server = CometWebServer.builder().engine(engine)
                .config(WebConfig.builder().ip("127.0.0.1").port(0).baseDir(base).nodeName("n1").build())
                .clientScript(getClass().getClassLoader(), "io/comet/transport/test-client.js")
                .endpoint("/cometql", req -> CompletableFuture.supplyAsync(() -> new HttpEndpoint.Response(200,
                        "application/json", ("{\"method\":\"" + req.method() + "\",\"ct\":\"" + req.headers().get("content-type")
                        + "\",\"body\":\"" + new String(req.body(), StandardCharsets.UTF_8) + "\"}")
                        .getBytes(StandardCharsets.UTF_8))))
                .endpoint("/broken", req -> CompletableFuture.failedFuture(new IllegalStateException("boom")))
                .build();
        server.start().join();
        port = server.activePort();
    }

    @AfterEach
    void stop() {
        server.close();
        engine.close();
    }

    @Test
    void optionsAnswersOkWithTheCorsHeaders() throws Exception {
        RawHttp.Response r = RawHttp.send(port, "OPTIONS", "/anything/at/all");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("+OK\r\n");
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(r.header("Access-Control-Allow-Methods")).isEqualTo("POST, GET");
        assertThat(r.header("Allow")).isEqualTo("POST, GET");
        assertThat(r.header("Access-Control-Allow-Headers")).isEqualTo("origin, content-type, accept");
        assertThat(r.header("Connection")).isEqualTo("close");
    }

    @Test
    void infoFaviconRootAndPost() throws Exception {
        for (String p : new String[] {"/info", "/comet-server/info"}) {
            RawHttp.Response info = RawHttp.send(port, "GET", p);
            assertThat(info.status()).isEqualTo(200);
            assertThat(info.body()).isEqualTo("{\"status\":\"ok\",\"node\":\"n1________\"}");
            assertThat(info.header("Cache-Control")).isNull();
        }
        assertThat(HttpHandler.nodeName10("a-very-long-node-name")).isEqualTo("a-very-lon");
        RawHttp.Response fav = RawHttp.send(port, "GET", "/comet-server/favicon.ico");
        assertThat(fav.head()).startsWith("HTTP/1.1 301 OK");
        assertThat(fav.header("Location")).isEqualTo(WebConfig.DEFAULT_FAVICON_URL);
        RawHttp.Response root = RawHttp.send(port, "GET", "/");
        assertThat(root.status()).isEqualTo(200);
        assertThat(root.body()).as("GET / is the index.html of baseDir").isEqualTo("<h1>hello</h1>");
        assertThat(root.header("Content-Type")).isEqualTo("text/html; charset=UTF-8");
        assertThat(root.header("Cache-Control")).isEqualTo("max-age=3600");
        // the original clients' long-poll URL keeps answering 404 like the original
        assertThat(RawHttp.send(port, "POST", "/sesion=abc&myid=1&devid=0&v=4.08&uuid=u&api=js").status()).isEqualTo(404);
        assertThat(RawHttp.send(port, "POST", "/index.html").status()).isEqualTo(404);
        assertThat(RawHttp.send(port, "PUT", "/index.html").status()).isEqualTo(405);
    }

    @Test
    void staticFilesWithContentTypes() throws Exception {
        RawHttp.Response html = RawHttp.send(port, "GET", "/index.html");
        assertThat(html.status()).isEqualTo(200);
        assertThat(html.body()).isEqualTo("<h1>hello</h1>");
        assertThat(html.header("Content-Type")).isEqualTo("text/html; charset=UTF-8");
        assertThat(html.header("Access-Control-Allow-Methods")).isEqualTo("GET");
        RawHttp.Response js = RawHttp.send(port, "GET", "/comet-server/app.js?v=3");
        assertThat(js.status()).isEqualTo(200);
        assertThat(js.header("Content-Type")).isEqualTo("application/javascript; charset=UTF-8");
        assertThat(js.body()).isEqualTo("var x = 1;");
        RawHttp.Response head = RawHttp.send(port, "HEAD", "/index.html");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo("14");
        assertThat(head.body()).isEmpty();
        assertThat(RawHttp.send(port, "GET", "/alias.txt").status()).as("symlink inside the folder").isEqualTo(200);
        assertThat(RawHttp.send(port, "GET", "/data.bin").status()).as("unlisted extension").isEqualTo(404);
        assertThat(RawHttp.send(port, "GET", "/README").status()).as("no extension").isEqualTo(404);
        assertThat(RawHttp.send(port, "GET", "/missing.html").status()).isEqualTo(404);
        assertThat(RawHttp.send(port, "GET", "/folder.html").status()).as("a folder").isEqualTo(404);
    }

    @Test
    void pathTraversalIsRefused() throws Exception {
        Map<String, Integer> cases = Map.of(
                "/../secret.txt", 403,
                "/sub/../../secret.txt", 403,
                "/%2e%2e/secret.txt", 403,
                "/sub/%2E%2E/%2e%2e/secret.txt", 403,
                "/%2fetc%2fpasswd.txt", 403,
                "/..%5csecret.txt", 403,
                "/C:/windows/win.ini", 403,
                "/link.txt", 403,
                "/sub/out.html", 403,
                "/comet-server/../secret.txt", 403);
        for (Map.Entry<String, Integer> c : cases.entrySet()) {
            RawHttp.Response r = RawHttp.send(port, "GET", c.getKey());
            assertThat(r.status()).as(c.getKey()).isEqualTo(c.getValue());
            assertThat(r.body()).as(c.getKey()).doesNotContain("TOP SECRET");
        }
        assertThat(RawHttp.send(port, "GET", "/" + tmp.resolve("secret.txt")).body()).doesNotContain("TOP SECRET");
    }

    @Test
    void bundledClientScript() throws Exception {
        for (String p : new String[] {"/comet.js", "/CometServerApi.js", "/comet-server/comet.js",
                "/comet-server/CometServerApi.js"}) {
            RawHttp.Response r = RawHttp.send(port, "GET", p);
            assertThat(r.status()).as(p).isEqualTo(200);
            assertThat(r.header("Content-Type")).isEqualTo("application/javascript; charset=UTF-8");
            assertThat(r.body()).isEqualTo("// test double of the bundled client\n");
        }
        // the real route: the shipped resource when present, 404 when absent
        try (CometWebServer real = CometWebServer.builder().engine(engine).config(WebConfig.builder().ip("127.0.0.1")
                .port(0).build()).build()) {
            real.start().join();
            boolean shipped = CometWebServer.class.getClassLoader().getResource(CometWebServer.CLIENT_SCRIPT) != null;
            assertThat(RawHttp.send(real.activePort(), "GET", "/comet.js").status()).isEqualTo(shipped ? 200 : 404);
        }
        try (CometWebServer none = CometWebServer.builder().engine(engine).config(WebConfig.builder().ip("127.0.0.1")
                .port(0).build()).clientScript(getClass().getClassLoader(), "no/such/script.js").build()) {
            none.start().join();
            assertThat(RawHttp.send(none.activePort(), "GET", "/CometServerApi.js").status()).isEqualTo(404);
        }
    }

    @Test
    void mountedEndpointGetsTheRequestAndAnswersWhenItsFutureCompletes() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String p : new String[] {"/cometql", "/comet-server/cometql"}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + p))
                    .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("show status")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(r.body()).isEqualTo("{\"method\":\"POST\",\"ct\":\"text/plain\",\"body\":\"show status\"}");
        }
        HttpResponse<String> broken = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/broken"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(broken.statusCode()).isEqualTo(500);
    }
}

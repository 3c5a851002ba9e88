package io.comet.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first ten minutes over real HTTP: {@code GET /} is a start page that links the client and
 * listens to {@code web_demo} (or the {@code index.html} of {@code base_dir}); the module client
 * and the type declarations are served next to {@code /comet.js}.
 */
class StartPageTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path baseDir;

    private CometServer start() {
        return CometServer.builder().ip("127.0.0.1").webPort(0).cometqlPort(0).webThreads(1).password("pw")
                .baseDir(baseDir).start();
    }

    private static HttpResponse<String> get(CometServer comet, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(comet.pageUrl() + path.substring(1))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String bundled(String name) throws IOException {
        try (InputStream in = CometServer.class.getClassLoader()
                .getResourceAsStream("io/comet/transport/client/" + name)) {
            assertThat(in).as(name + " in comet-transport-netty").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theStartPageLinksTheClientTheExamplesAndTheDocsAndListensToWebDemo() throws Exception {
        try (CometServer comet = start()) {
            HttpResponse<String> r = get(comet, "/");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).hasValue("text/html; charset=UTF-8");
            assertThat(r.body()).contains("<script src=\"/comet.js\"></script>")
                    .contains("href=\"/comet.mjs\"").contains("href=\"/comet.d.ts\"")
                    .contains("examples/README.md").contains("README.md")
                    .contains("subscription('web_demo'")
                    .contains("INSERT INTO pipes_messages (name, event, message) VALUES ('web_demo'");
            assertThat(get(comet, "/comet-server/").body()).isEqualTo(r.body());
        }
    }

    @Test
    void anIndexHtmlInBaseDirIsTheStartPage() throws Exception {
        Files.writeString(baseDir.resolve("index.html"), "<!DOCTYPE html><title>my app</title>");
        try (CometServer comet = start()) {
            HttpResponse<String> r = get(comet, "/");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("<!DOCTYPE html><title>my app</title>");
        }
    }

    @Test
    void theModuleClientAndTheDeclarationsAreServed() throws Exception {
        try (CometServer comet = start()) {
            HttpResponse<String> mjs = get(comet, "/comet.mjs");
            assertThat(mjs.statusCode()).isEqualTo(200);
            assertThat(mjs.headers().firstValue("content-type")).hasValue("text/javascript; charset=UTF-8");
            assertThat(mjs.headers().firstValue("access-control-allow-origin")).hasValue("*");
            assertThat(mjs.body()).isEqualTo(bundled("comet.mjs"));
            for (String dts : new String[] {"comet.d.ts", "comet.d.mts"}) {
                HttpResponse<String> r = get(comet, "/" + dts);
                assertThat(r.statusCode()).as(dts).isEqualTo(200);
                assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; charset=UTF-8");
                assertThat(r.body()).isEqualTo(bundled(dts));
            }
            assertThat(get(comet, "/comet-server/comet.mjs").body()).isEqualTo(mjs.body());
            assertThat(get(comet, "/comet.js").body()).isEqualTo(bundled("comet.js"));
        }
    }
}

package io.comet.spring.boot;

import static io.comet.test.client.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.comet.core.engine.CometEngine;
import io.comet.server.CometServer;
import io.comet.spring.boot.demo.ChatApplication;
import io.comet.test.client.ChromiumBrowser;
import io.comet.test.client.ClientPaths;
import io.comet.test.client.CometQlClient;
import io.comet.test.client.CometWsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A real Spring Boot 3.5 application (embedded Tomcat on an ephemeral port) with the starter:
 * the {@code comet.*} properties reach the server, a controller publishes through the engine
 * bean, and browsers on the application's own port receive — a raw v4 WebSocket client and
 * {@code comet.js} in headless Chromium.
 */
class CometAutoConfigurationTest {

    static ConfigurableApplicationContext app;
    static int port;

    @BeforeAll
    static void start() {
        app = SpringApplication.run(ChatApplication.class, "--server.port=0", "--server.address=127.0.0.1",
                "--comet.ip=127.0.0.1", "--comet.web-port=0", "--comet.cometql-port=0", "--comet.password=boot-secret",
                "--comet.web-threads=1", "--comet.shutdown-timeout=3s");
        port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void thePropertiesReachTheServerAndItsEngineIsABean() {
        CometServer server = app.getBean(CometServer.class);
        assertThat(server.password()).isEqualTo("boot-secret");
        assertThat(server.webPort()).isPositive().isNotEqualTo(8087);
        assertThat(server.cometqlPort()).isPositive().isNotEqualTo(3300);
        assertThat(app.getBean(CometEngine.class)).isSameAs(server.engine());
        try (CometQlClient ql = CometQlClient.connect(server.cometqlPort(), "boot-secret")) {
            assertThat(ql.query("SELECT name FROM pipes WHERE name = ?", "web_lobby")).hasSize(1);
        }
    }

    @Test
    void aControllerPublishesAndAWebSocketOnTheApplicationsPortReceives() throws Exception {
        try (CometWsClient browser = CometWsClient.open(port, ClientPaths.v4(0, "", "boot0123456789abcdefghijklmnopqr"))) {
            assertThat(browser.handshake()).startsWith("HTTP/1.1 101");
            browser.await("sys", "serverInfo");
            browser.subscribe("web_room");
            await("subscribed").until(() -> app.getBean(CometEngine.class).subscriberCount(0, "web_room") == 1);
            assertThat(post("room", "hello from a controller")).isEqualTo("sent to 1");
            assertThat(browser.awaitData("web_room", "message")).isEqualTo("hello from a controller");
        }
    }

    @Test
    void aControllerPublishesAndThePageInChromiumShowsIt() throws Exception {
        ChromiumBrowser.requireChromium();
        try (ChromiumBrowser b = ChromiumBrowser.open("spring-boot", false)) {
            b.get("http://127.0.0.1:" + port + "/chat.html");
            await("the page subscribed").until(() -> app.getBean(CometEngine.class).subscriberCount(0, "web_lobby") == 1);
            post("lobby", "to the page");
            b.awaitText("#log li", "message: to the page");
        }
    }

    @Test
    void anApplicationsOwnServerBeanWinsAndTheMountCanBeTurnedOff() {
        try (ConfigurableApplicationContext own = new SpringApplicationBuilder(ChatApplication.class, OwnServer.class)
                .run("--server.port=0", "--server.address=127.0.0.1", "--comet.servlet.enabled=false")) {
            CometServer server = own.getBean(CometServer.class);
            assertThat(server.password()).isEqualTo("own");
            assertThat(own.getBeansOfType(org.springframework.boot.web.servlet.ServletContextInitializer.class))
                    .doesNotContainKey("cometServletInitializer");
        }
    }

    /** An application that builds its own server. */
    @Configuration(proxyBeanMethods = false)
    static class OwnServer {
        @Bean(destroyMethod = "close")
        CometServer cometServer() {
            return CometServer.builder().ip("127.0.0.1").webPort(0).cometqlPort(0).password("own").webThreads(1).start();
        }
    }

    private static String post(String room, String text) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + port + "/chat?room=" + room + "&text=" + text.replace(" ", "+")))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }
}

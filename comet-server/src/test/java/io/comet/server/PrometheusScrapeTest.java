package io.comet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import io.comet.core.json.Json;
import io.comet.test.client.ClientPaths;
import io.comet.test.client.CometWsClient;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 point 4 with a real Prometheus (Debian's {@code prometheus}, installed by
 * {@code .ci/test-env.sh}): it scrapes {@code GET /metrics} with the CometQL password
 * ({@code basic_auth}), and its HTTP API then answers the values Comet counted: publications,
 * deliveries, connections by transport, subscriptions, the publish→write latency histogram,
 * CometQL statements by table and code, auth failures, store operations, JVM memory. Without the
 * password {@code /metrics} is 401. Skipped when Prometheus is missing, failed then under CI.
 */
class PrometheusScrapeTest {

    private static final Path PROMETHEUS = Path.of(System.getProperty("comet.prometheus", "/usr/bin/prometheus"));
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    static void requirePrometheus() {
        if (Files.isExecutable(PROMETHEUS)) {
            return;
        }
        String why = PROMETHEUS + " is missing (apt-get install prometheus; .ci/test-env.sh does it)";
        String ci = System.getenv("CI");
        if (ci != null && !ci.isEmpty() && !ci.equalsIgnoreCase("false")) {
            fail(why);
        }
        Assumptions.abort(why);
    }

    @Test
    void aRealPrometheusScrapesTheMetricsAndAnswersThemThroughItsApi() throws Exception {
        requirePrometheus();
        try (CometServer comet = CometServerTest.start(); CometWsClient tab = CometWsClient.open(comet.webPort(), ClientPaths.v4(0, "", "metricsTab0123456789abcdefghijklm"))) {
            tab.awaitLine("serverInfo");
            tab.subscribe("web_metrics");
            await().atMost(Duration.ofSeconds(10)).until(() -> comet.engine().subscriberCount(0, "web_metrics") == 1);
            try (Connection c = DriverManager.getConnection(comet.jdbcUrl(), "root", "pw"); Statement st = c.createStatement()) {
                for (int i = 0; i < 5; i++) {
                    st.executeUpdate("INSERT INTO pipes_messages (name, event, message) VALUES ('web_metrics', 'e', 'm" + i + "')");
                }
                tab.awaitLine("\"data\":\"m4\"");
                try {
                    st.executeQuery("SELECT * FROM no_such_table WHERE id = 1");
                } catch (java.sql.SQLException expected) {
                    // counted with its code
                }
            }
            try {
                DriverManager.getConnection(comet.jdbcUrl(), "root", "wrong").close();
            } catch (java.sql.SQLException expected) {
                // counted as an auth failure
            }
            // a browser tab with a user id and a wrong hash connects anonymous: a failed browser login
            try (CometWsClient intruder = CometWsClient.open(comet.webPort(), ClientPaths.v4(7, "wrong", "intruder0123456789abcdefghijklmn"))) {
                intruder.awaitLine("serverInfo");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> comet.engine().sessions().size() == 1);
            assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + comet.webPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as("no password").isEqualTo(401);

            int port;
            try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
                port = free.getLocalPort();
            }
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 1s
                    scrape_configs:
                      - job_name: comet
                        metrics_path: /metrics
                        basic_auth:
                          username: root
                          password: pw
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                    """.formatted(comet.webPort()));
            Process prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            try {
                String api = "http://127.0.0.1:" + port + "/api/v1/query?query=";
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> value(api, "comet_publications_total") >= 5);
                assertThat(value(api, "up{job=\"comet\"}")).isEqualTo(1);
                assertThat(value(api, "comet_deliveries_total")).isGreaterThanOrEqualTo(5);
                assertThat(value(api, "comet_connections{transport=\"websocket\"}")).isEqualTo(1);
                assertThat(value(api, "comet_subscriptions")).isEqualTo(1);
                assertThat(value(api, "comet_pipes")).isEqualTo(1);
                assertThat(value(api, "comet_publish_write_latency_seconds_count")).isGreaterThanOrEqualTo(5);
                assertThat(value(api, "sum(comet_publish_write_latency_seconds_bucket{le=\"+Inf\"})")).isGreaterThanOrEqualTo(5);
                assertThat(value(api, "comet_cometql_queries_total{table=\"pipes_messages\",kind=\"insert\",code=\"0\"}"))
                        .isEqualTo(5);
                assertThat(value(api, "comet_cometql_queries_total{table=\"no_such_table\",kind=\"select\",code=\"15\"}"))
                        .isEqualTo(1);
                assertThat(value(api, "comet_auth_failures_total{door=\"cometql\"}")).isEqualTo(1);
                assertThat(value(api, "comet_auth_failures_total{door=\"browser\"}")).isEqualTo(1);
                assertThat(value(api, "sum(jvm_memory_used_bytes)")).isPositive();
                assertThat(value(api, "count(comet_store_operations_seconds_count)")).isPositive();
            } finally {
                prometheus.destroy();
                if (!prometheus.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly();
                }
            }
        }
    }

    /** The single value of an instant query through Prometheus' HTTP API (NaN when empty). */
    @SuppressWarnings("unchecked")
    private static double value(String api, String query) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        Map<String, Object> body = (Map<String, Object>) Json.parse(r.body());
        assertThat(body.get("status")).as(r.body()).isEqualTo("success");
        List<Object> result = (List<Object>) ((Map<String, Object>) body.get("data")).get("result");
        if (result.isEmpty()) {
            return Double.NaN;
        }
        assertThat(result).as(query + ": " + r.body()).hasSize(1);
        List<Object> v = (List<Object>) ((Map<String, Object>) result.get(0)).get("value");
        return Double.parseDouble((String) v.get(1));
    }
}

package io.comet.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReportTest {

    @Test
    void writesJsonMarkdownAndLatestCopies() throws Exception {
        Report report = new Report("smoke");
        report.add(new Result("cometql").param("connections", 16).fig("inserts_s", 51234L).fig("errors", 0));
        report.add(new Result("fanout").param("subscribers", 40).param("rate_msg_s", 100.0)
                .fig("deliveries_s", 4000L).fig("latency_p99_ms", 3.5).fail("2 deliveries lost (of 6080)"));
        report.add(new Result("idle").fig("held", 120).fig("rss_per_tab_b", 3000)
                .fig("list", List.of(1, 2)).fig("odd", "a|b \"q\"\n"));
        Path dir = Files.createTempDirectory("bench-report");
        Path md = report.write(dir);
        assertThat(dir.resolve("latest-smoke.md")).exists();
        assertThat(dir.resolve("latest-smoke.json")).exists();
        String text = Files.readString(md);
        assertThat(text).contains("| cometql | connections=16 | inserts_s=51234, errors=0 | yes |",
                "| fanout |", "| **NO** | FAIL: 2 deliveries lost (of 6080) |", "a\\|b",
                "| CometQL ≥ 50,000 INSERT/s over 16 connections | 51234/s |",
                "| hold ≥ 19,000 idle tabs | 120 held |", "| cores |", "| commit |");
        String json = Files.readString(dir.resolve("latest-smoke.json"));
        assertThat(json).contains("\"profile\": \"smoke\"", "\"inserts_s\": 51234", "\"ok\": false",
                "\"list\": [1, 2]", "\"odd\": \"a|b \\\"q\\\"\\n\"");
        assertThat(report.allOk()).isFalse();
    }

    @Test
    void cliParsing() {
        Map<String, String> o = BenchMain.parse(new String[] {"--profile", "quick", "--no-statistics", "--ws-port=9"});
        assertThat(o).containsEntry("--profile", "quick").containsEntry("--no-statistics", "true")
                .containsEntry("--ws-port", "9");
        assertThatThrownBy(() -> BenchMain.parse(new String[] {"quick"})).hasMessageContaining("unexpected argument");
        assertThatThrownBy(() -> BenchMain.parse(new String[] {"--host"})).hasMessageContaining("missing value");
        assertThatThrownBy(() -> Profile.of("huge")).hasMessageContaining("expected: smoke, quick, full");
        assertThat(Profile.of("full").idleSizes()).contains(19000);
        assertThat(Profile.of("full").fanoutSubscribers()).contains(10000);
        assertThat(Profile.of("full").manyPipes()).isEqualTo(10000);
        assertThat(Profile.of("quick").withSoakMillis(600_000).soakMillis()).isEqualTo(600_000);
    }

    @Test
    void jdbcUrlSpeaksToCometQlWithoutTlsOrServerPrepares() {
        Target t = new Target("127.0.0.1", 8087, 3300, "pw", 0, -1, false);
        assertThat(t.jdbcUrl()).startsWith("jdbc:mysql://127.0.0.1:3300/CometQL_v1?user=root&password=pw")
                .contains("sslMode=DISABLED", "useServerPrepStmts=false", "allowPublicKeyRetrieval=true");
        assertThat(new Target("127.0.0.1", 8087, 3300, "pw", 7, -1, false).jdbcUrl()).contains("user=7&");
        assertThat(CometQl.publishSql("web_x", "m", "a.b")).isEqualTo(
                "INSERT INTO pipes_messages (name, event, message) VALUES ('web_x', 'm', 'a.b')");
        assertThat(CometQl.privateSql(5, "m", "x")).isEqualTo("INSERT INTO users_messages (id, event, message) VALUES (5, 'm', 'x')");
        assertThat(CometQl.authSql(5, "h1")).isEqualTo("INSERT INTO users_auth (id, hash) VALUES (5, 'h1')");
    }
}

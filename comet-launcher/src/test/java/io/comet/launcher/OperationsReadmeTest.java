package io.comet.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.server.CometServer;
import io.comet.server.MetricsAccess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 point 9: the root README's "Operations" section names every {@code comet_*} metric a
 * running server exposes (and no other), every {@code [section] key} it names exists in the
 * registry, and the endpoints it lists answer.
 */
class OperationsReadmeTest {

    private static String operations() throws Exception {
        String readme = Files.readString(Path.of("").toAbsolutePath().getParent().resolve("README.md"));
        int from = readme.indexOf("## Operations");
        assertThat(from).as("README has an Operations section").isNotNegative();
        int to = readme.indexOf("\n## ", from + 5);
        return readme.substring(from, to < 0 ? readme.length() : to);
    }

    @Test
    void everyMetricAndKeyOfTheOperationsSectionIsReal() throws Exception {
        String ops = operations();
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("`(comet_[a-z_]+)").matcher(ops);
        while (m.find()) {
            documented.add(m.group(1));
        }
        Set<String> exposed = new TreeSet<>();
        try (CometServer comet = CometServer.builder().ip("127.0.0.1").webPort(0).cometqlPort(0).webThreads(1)
                .password("pw").metrics(MetricsAccess.OPEN).start()) {
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(comet.jdbcUrl(), "root", "pw");
                 java.sql.Statement st = c.createStatement()) {
                st.executeQuery("SELECT * FROM pipes WHERE name = 'web_ops'").close(); // registers the CometQL counter
            }
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + comet.webPort();
            String text = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher t = Pattern.compile("(?m)^# TYPE (comet_[a-z_]+) (\\w+)$").matcher(text);
            while (t.find()) {
                String name = t.group(1);
                // the registry names counters' families without _total and histograms' without suffixes
                if (!name.endsWith("_max")) { // the maximum Micrometer keeps beside each timer
                    exposed.add(t.group(2).equals("counter") && !name.endsWith("_total") ? name + "_total" : name);
                }
            }
            for (String path : new String[] {"/health", "/ready"}) {
                assertThat(ops).contains("`GET " + path + "`");
                assertThat(http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).as(path).isEqualTo(200);
            }
        }
        assertThat(documented).as("metrics named in the README").containsExactlyInAnyOrderElementsOf(exposed);

        Matcher k = Pattern.compile("\\[(\\w+)] (\\w+)").matcher(ops);
        int keys = 0;
        while (k.find()) {
            keys++;
            assertThat(IniKeys.find(k.group(1), k.group(2))).as("[" + k.group(1) + "] " + k.group(2)).isPresent();
        }
        assertThat(keys).as("keys named").isGreaterThanOrEqualTo(8);
    }
}

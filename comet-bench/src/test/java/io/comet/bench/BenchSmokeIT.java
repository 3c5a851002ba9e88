package io.comet.bench;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CI smoke of every scenario at tiny sizes against the real server: comet-launcher's shaded jar,
 * started as a child process on free loopback ports. Asserts correctness only (everything that
 * was published arrived, in order, once; no errors), never timing.
 */
class BenchSmokeIT {

    @Test
    void everyScenarioRunsAgainstTheRealServer() throws Exception {
        Path jar = Path.of(System.getProperty("comet.server.jar", "../comet-launcher/target/comet-server.jar"));
        Assumptions.assumeTrue(Files.isRegularFile(jar), "server jar not built: " + jar.toAbsolutePath());
        Path results = Files.createTempDirectory("comet-bench-smoke");
        Report report = BenchMain.run(new String[] {
            "--profile", "smoke", "--start-server", jar.toString(), "--results-dir", results.toString(),
            "--server-jvm-opts", "-Xmx512m"});
        assertThat(report.results).extracting(r -> r.scenario)
                .contains("idle", "fanout", "manypipes", "private", "cometql", "connect-rate", "reconnect-storm", "slow-baseline", "slow-subscribers", "soak", "fuzz");
        assertThat(report.results).allSatisfy(r -> assertThat(r.ok).as(r.toString()).isTrue());
        assertThat(results.resolve("latest-smoke.md")).exists();
    }
}

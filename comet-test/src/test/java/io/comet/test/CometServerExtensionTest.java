package io.comet.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.comet.server.CometServer;
import io.comet.server.CometServerBuilder;
import io.comet.test.client.CometWsClient;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** The extension's life cycle (per class, per test), settings, clients and the after-test leak check. */
class CometServerExtensionTest {

    /** Property under which the fixture classes below run (only while {@link #kit} runs them). */
    static final String FIXTURE = "io.comet.test.fixture";

    /** Runs a fixture class through the JUnit test kit. */
    static org.junit.platform.testkit.engine.EngineExecutionResults kit(Class<?> fixture) {
        System.setProperty(FIXTURE, "true");
        try {
            return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute();
        } finally {
            System.clearProperty(FIXTURE);
        }
    }

    static final List<Integer> PORTS = new ArrayList<>();

    @Test
    void aStaticFieldServesTheWholeClassAnInstanceFieldEachTest() {
        PORTS.clear();
        assertThat(run(PerClass.class).failed().count()).isZero();
        assertThat(PORTS).hasSize(2).containsOnly(PORTS.get(0));
        int perClassPort = PORTS.get(0);
        assertThat(free(perClassPort)).as("the server stopped after the class").isTrue();
        PORTS.clear();
        assertThat(run(PerTest.class).failed().count()).isZero();
        assertThat(PORTS).hasSize(2).doesNotHaveDuplicates();
        assertThat(PORTS).allMatch(CometServerExtensionTest::free);
    }

    @Test
    void aTestThatLeavesAConnectionOpenFailsNamingIt() {
        Events events = run(LeavesAConnection.class);
        events.failed().assertThatEvents().haveExactly(1,
                finishedWithFailure(message(m -> m.contains("left after the test: 1 engine session(s) 1 web connection(s)"))));
        assertThat(run(LeavesAConnectionOnPurpose.class).failed().count()).isZero();
    }

    @Test
    void settingsFromTheConstructorAndFromConfigure() {
        assertThat(run(Configured.class).failed().count()).isZero();
    }

    @Test
    void outsideATestThereIsNoServer() {
        assertThatThrownBy(() -> new CometServerExtension().server()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only during a test");
    }

    private static Events run(Class<?> c) {
        return kit(c).testEvents();
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Run through the test kit only (skipped when a -Dtest pattern makes surefire pick it up). */
    @EnabledIfSystemProperty(named = FIXTURE, matches = "true")
    static class PerClass {
        @RegisterExtension
        static final CometServerExtension comet = new CometServerExtension();

        @Test
        void one() {
            PORTS.add(comet.webPort());
        }

        @Test
        void two() {
            PORTS.add(comet.webPort());
        }
    }

    /** Run through the test kit only (skipped when a -Dtest pattern makes surefire pick it up). */
    @EnabledIfSystemProperty(named = FIXTURE, matches = "true")
    static class PerTest {
        @RegisterExtension
        final CometServerExtension comet = new CometServerExtension();

        @Test
        void one() {
            PORTS.add(comet.webPort());
        }

        @Test
        void two() {
            PORTS.add(comet.webPort());
        }
    }

    /** Run through the test kit only (skipped when a -Dtest pattern makes surefire pick it up). */
    @EnabledIfSystemProperty(named = FIXTURE, matches = "true")
    static class LeavesAConnection {
        @RegisterExtension
        static final CometServerExtension comet = new CometServerExtension().leakTimeout(java.time.Duration.ofMillis(500));

        @Test
        void opensAndForgets() throws Exception {
            CometWsClient c = CometWsClient.open(comet.webPort(), io.comet.test.client.ClientPaths.v4(0, "", "leak0123456789abcdefghijklmnopqr"));
            c.await("sys", "serverInfo");
        }
    }

    /** Run through the test kit only (skipped when a -Dtest pattern makes surefire pick it up). */
    @EnabledIfSystemProperty(named = FIXTURE, matches = "true")
    static class LeavesAConnectionOnPurpose {
        @RegisterExtension
        static final CometServerExtension comet = new CometServerExtension().withoutLeakCheck();

        @Test
        void opensAndForgets() throws Exception {
            Socket s = new Socket("127.0.0.1", comet.webPort());
            assertThat(s.isConnected()).isTrue();
        }
    }

    /** Run through the test kit only (skipped when a -Dtest pattern makes surefire pick it up). */
    @EnabledIfSystemProperty(named = FIXTURE, matches = "true")
    static class Configured {
        static Path web;

        @RegisterExtension
        static final CometServerExtension comet = new CometServerExtension(b -> b.baseDir(web())) {
            @Override
            protected void configure(CometServerBuilder b) {
                b.password("other");
            }
        };

        static Path web() {
            try {
                web = Files.createTempDirectory("kit-web");
                Files.writeString(web.resolve("index.html"), "<p>kit page</p>");
                return web;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Test
        void theSettingsApply() throws Exception {
            assertThat(comet.password()).isEqualTo("other");
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(comet.httpUri("/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).contains("kit page");
            assertThat(comet.cometql().query("SELECT * FROM pipes WHERE name = ?", "web_x")).isNotNull();
        }
    }
}

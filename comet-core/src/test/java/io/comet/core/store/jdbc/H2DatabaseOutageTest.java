package io.comet.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.core.engine.CometEngine;
import io.comet.core.ConnectRequest;
import io.comet.core.engine.InProcessClient;
import io.comet.core.StoreException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DatabaseOutageTest} on an H2 TCP server, plus the engine's view of an outage. */
class H2DatabaseOutageTest extends DatabaseOutageTest {

    @TempDir
    Path dir;

    Server server;

    @Override
    String[] database() throws Exception {
        server = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", dir.toString()).start();
        return new String[] {"127.0.0.1", Integer.toString(server.getPort())};
    }

    @Override
    JdbcStoreConfig.Builder through(int proxyPort) {
        return JdbcStoreConfig.builder().jdbcUrl("jdbc:h2:tcp://127.0.0.1:" + proxyPort + "/comet").connectionAttempts(1);
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void livePublishesKeepFlowingWhileDurableWritesFailOnAStalledDatabase() throws Exception {
        try (CometEngine engine = CometEngine.builder().store(store).maintenanceIntervalSeconds(0).build()) {
            store = null; // the engine closes it
            InProcessClient browser = engine.connectInProcess(ConnectRequest.anonymous(0, "tab-1"));
            browser.subscribe(List.of("web_news"));
            proxy.stall();
            long t0 = System.nanoTime();
            CompletableFuture<Integer> offline = engine.sendPrivate(0, 77, "evt", "for an offline user");
            for (int i = 0; i < 20; i++) {
                assertThat(engine.publish(0, "web_news", "evt", "live " + i).join()).isEqualTo(1);
            }
            assertThat(browser.awaitCount("web_news", 20, Duration.ofSeconds(2))).hasSize(20);
            try {
                offline.get(OPERATION_TIMEOUT.toMillis() + 8000, TimeUnit.MILLISECONDS);
                throw new AssertionError("expected a StoreException");
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(StoreException.class);
                assertThat(((StoreException) e.getCause()).code()).isEqualTo(500);
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(OPERATION_TIMEOUT.toMillis() + 6000);
            proxy.restore();
            Exception last = null;
            for (int attempt = 0; attempt < 4; attempt++) {
                try {
                    assertThat(engine.sendPrivate(0, 77, "evt", "after").get(10, TimeUnit.SECONDS)).isEqualTo(0);
                    last = null;
                    break;
                } catch (ExecutionException e) {
                    last = e;
                }
            }
            assertThat(last).isNull();
        }
    }
}

package io.comet.cometql;

import static io.comet.test.client.Waits.await;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.core.CometConfig;
import io.comet.core.engine.CometEngine;
import io.comet.core.store.MemoryStore;
import io.comet.core.store.Store;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link CometQlServer#closeGracefully}: idle connections close at once, a command in flight answers first. */
class GracefulCloseTest {

    @Test
    void inFlightCommandIsAnsweredBeforeItsConnectionCloses() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CompletableFuture<Void> release = new CompletableFuture<>();
        MemoryStore memory = new MemoryStore();
        Store held = (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (p, m, args) -> {
                    try {
                        if (m.getName().equals("putAuthHash")) {
                            entered.countDown();
                            return release.thenCompose(v -> memory.putAuthHash((int) args[0], (long) args[1], (String) args[2]));
                        }
                        return m.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (CometEngine engine = CometEngine.builder().config(CometConfig.builder().password("pw").build())
                .store(held).maintenanceIntervalSeconds(0).build()) {
            CometQlServer server = CometQlServer.builder().engine(engine)
                    .config(CometQlConfig.builder().ip("127.0.0.1").port(0).build()).build();
            server.start().join();
            String url = "jdbc:mysql://127.0.0.1:" + server.activePort() + "/CometQL_v1";
            try (Connection busy = DriverManager.getConnection(url, "root", "pw");
                 Connection idle = DriverManager.getConnection(url, "root", "pw");
                 Statement st = busy.createStatement()) {
                CompletableFuture<Integer> inFlight = CompletableFuture.supplyAsync(() -> {
                    try {
                        return st.executeUpdate("INSERT INTO users_auth (id, hash) VALUES (7, 'h7')");
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertThat(entered.await(10, TimeUnit.SECONDS)).as("command in flight: " + inFlight).isTrue();
                CompletableFuture<Boolean> closing = CompletableFuture.supplyAsync(
                        () -> server.closeGracefully(Duration.ofSeconds(10)));
                await("the idle connection closed").atMost(Duration.ofSeconds(10)).until(() -> {
                    try {
                        return !idle.isValid(1);
                    } catch (SQLException e) {
                        return true;
                    }
                });
                assertThat(closing).as("waits for the busy connection").isNotDone();
                assertThat(inFlight).isNotDone();
                release.complete(null);
                assertThat(inFlight.get(10, TimeUnit.SECONDS)).isEqualTo(1);
                assertThat(closing.get(10, TimeUnit.SECONDS)).as("drained within the timeout").isTrue();
                assertThat(memory.authHash(0, 7).join()).contains("h7");
            }
        }
    }

    @Test
    void connectionsOlderThanMaxUptimeAreClosed() throws Exception {
        try (CometEngine engine = CometEngine.builder().config(CometConfig.builder().password("pw").build())
                .maintenanceIntervalSeconds(0).build()) {
            CometQlServer server = CometQlServer.builder().engine(engine)
                    .config(CometQlConfig.builder().ip("127.0.0.1").port(0).maxUptimeSeconds(1)
                            .uptimeCheckInterval(Duration.ofMillis(100)).build()).build();
            server.start().join();
            try (Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + server.activePort()
                    + "/CometQL_v1", "root", "pw")) {
                assertThat(c.isValid(1)).isTrue();
                long t0 = System.nanoTime();
                await("the idle connection closed").atMost(Duration.ofSeconds(10)).until(() -> {
                    try {
                        return !c.isValid(1);
                    } catch (SQLException e) {
                        return true;
                    }
                });
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(5000);
            } finally {
                server.close();
            }
        }
    }
}

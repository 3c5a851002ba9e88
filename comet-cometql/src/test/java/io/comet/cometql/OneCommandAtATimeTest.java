package io.comet.cometql;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.cometql.RawMySqlClient.Packet;
import io.comet.core.CometConfig;
import io.comet.core.engine.CometEngine;
import io.comet.core.store.MemoryStore;
import io.comet.core.store.Store;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 2: one command at a time per connection. A query whose store read is still pending
 * holds back the next pipelined command; the answers come in order once the store completes, and
 * the event loop stays free for other connections meanwhile (nothing blocks).
 */
class OneCommandAtATimeTest {

    @Test
    void pipelinedCommandWaitsForTheSlowOneAndOtherConnectionsAreNotBlocked() throws Exception {
        MemoryStore memory = new MemoryStore();
        CompletableFuture<Optional<String>> gate = new CompletableFuture<>();
        Store slow = (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("authHash") && args[1].equals(1L)) {
                        return gate;
                    }
                    try {
                        return method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        CometEngine engine = CometEngine.builder().config(CometConfig.builder().password(TestServer.PASSWORD).build())
                .store(slow).maintenanceIntervalSeconds(0).build();
        CometQlServer server = CometQlServer.builder().engine(engine)
                .config(CometQlConfig.builder().ip("127.0.0.1").port(0).ioThreads(1).build()).build();
        server.start().join();
        try (RawMySqlClient c = new RawMySqlClient(server.activePort());
             RawMySqlClient other = new RawMySqlClient(server.activePort())) {
            c.login("root", TestServer.PASSWORD, null);
            other.login("root", TestServer.PASSWORD, null);
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(RawMySqlClient.frame(0, RawMySqlClient.command(0x03, "SELECT * FROM users_auth WHERE id = 1")));
            b.writeBytes(RawMySqlClient.frame(0, new byte[] {0x0E}));
            c.out.write(b.toByteArray());
            c.out.flush();
            c.socket.setSoTimeout(300);
            boolean answeredEarly;
            try {
                c.read();
                answeredEarly = true;
            } catch (SocketTimeoutException expected) {
                answeredEarly = false;
            }
            assertThat(answeredEarly).as("nothing may be answered while the first command waits").isFalse();
            // the same event loop (1 thread) still serves another connection
            assertThat(RawMySqlClient.rows(other.query("SHOW DATABASES"))).containsExactly(List.of("CometQL_v1"));
            gate.complete(Optional.of("h1"));
            c.socket.setSoTimeout(5000);
            List<Packet> first = c.readResponse();
            assertThat(RawMySqlClient.rows(first)).containsExactly(List.of("1", "h1"));
            Packet ping = c.read();
            assertThat(ping.isOk()).isTrue();
            assertThat(ping.seq()).isEqualTo(1);
        } finally {
            server.close();
            engine.close();
        }
    }
}

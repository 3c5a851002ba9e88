package io.comet.transport;

import static io.comet.test.client.Waits.await;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.comet.test.client.CometWsClient;
import io.comet.test.client.ClientPaths;
import io.comet.core.engine.CometEngine;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Embedding: port 0, an external event loop group, close() dropping every connection abruptly. */
class ServerLifecycleTest {

    @Test
    void externalGroupIsKeptAndConnectionsAreDroppedOnClose() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (CometEngine engine = CometEngine.builder().maintenanceIntervalSeconds(0).build()) {
            CometWebServer server = CometWebServer.builder().engine(engine).eventLoopGroup(group, false)
                    .config(WebConfig.builder().ip("127.0.0.1").port(0).build()).build();
            assertThat(server.activePort()).isEqualTo(-1);
            server.start().join();
            int port = server.activePort();
            assertThat(port).isPositive();
            try (CometWsClient ws = CometWsClient.open(port, ClientPaths.of("", "k", 0, 0, "4.08", "u"));
                 Socket idle = new Socket("127.0.0.1", port)) {
                ws.await("sys", "serverInfo");
                assertThat(server.webSocketCount()).isOne();
                server.close();
                ws.awaitEof(Duration.ofSeconds(5));
                assertThat(ws.count(8)).as("abrupt: clients reconnect").isZero();
                idle.setSoTimeout(5000);
                int read;
                try {
                    read = idle.getInputStream().read();
                } catch (java.net.SocketException reset) {
                    read = -1; // not yet accepted when the listener closed: the kernel resets it
                }
                assertThat(read).as("dropped").isEqualTo(-1);
                await("sessions ended").atMost(Duration.ofSeconds(5)).until(() -> engine.sessions().isEmpty());
                assertThat(group.isShuttingDown()).as("not ours to stop").isFalse();
                server.close(); // idempotent
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void bindFailureFailsTheStartFuture() throws Exception {
        try (CometEngine engine = CometEngine.builder().maintenanceIntervalSeconds(0).build();
             CometWebServer first = CometWebServer.builder().engine(engine).threads(1)
                     .config(WebConfig.builder().ip("127.0.0.1").port(0).build()).build()) {
            first.start().join();
            try (CometWebServer second = CometWebServer.builder().engine(engine).threads(1)
                    .config(WebConfig.builder().ip("127.0.0.1").port(first.activePort()).build()).build()) {
                // java.net.BindException on NIO, NativeIoException on epoll: both say so
                assertThatThrownBy(() -> second.start().join()).rootCause().hasMessageContaining("Address already in use");
            }
        }
    }

    @Test
    void nativeTransportWhenAvailableNioOnRequest() throws Exception {
        try (CometEngine engine = CometEngine.builder().maintenanceIntervalSeconds(0).build();
             CometWebServer nio = CometWebServer.builder().engine(engine).threads(1)
                     .config(WebConfig.builder().ip("127.0.0.1").port(0).nativeTransport(false).build()).build();
             CometWebServer dflt = CometWebServer.builder().engine(engine).threads(1)
                     .config(WebConfig.builder().ip("127.0.0.1").port(0).build()).build()) {
            nio.start().join();
            dflt.start().join();
            assertThat(nio.transportName()).isEqualTo("nio");
            assertThat(dflt.transportName()).isEqualTo(io.netty.channel.epoll.Epoll.isAvailable() ? "epoll" : "nio");
            for (CometWebServer s : new CometWebServer[] {nio, dflt}) {
                try (CometWsClient c = CometWsClient.open(s.activePort(), ClientPaths.of("", "k", 0, 0, "4.08", "u"))) {
                    assertThat(c.await("sys", "serverInfo")).containsEntry("authorized", false);
                }
            }
        }
    }

    @Test
    void configIsValidated() {
        assertThatThrownBy(() -> WebConfig.builder().port(70_000).build()).hasMessage("port: 70000 (expected: 0..65535)");
        assertThatThrownBy(() -> WebConfig.builder().longPollTimeout(Duration.ofSeconds(90)).build())
                .hasMessageStartingWith("httpIdleTimeout: PT1M (expected: > longPollTimeout PT1M30S)");
        assertThatThrownBy(() -> CometWebServer.builder().endpoint("/ws/x", r -> null))
                .isInstanceOf(IllegalArgumentException.class);
        WebConfig c = WebConfig.builder().port(1234).build();
        assertThat(c.toBuilder().build().toString()).isEqualTo(c.toString());
    }
}

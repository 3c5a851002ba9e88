package io.comet.cometql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.comet.core.CometConfig;
import io.comet.core.engine.CometEngine;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.Test;

/** The public entry: builder, external event loops, port 0, config validation. */
class CometQlServerTest {

    @Test
    void runsOnAnExternalEventLoopGroupAndLeavesItRunning() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        CometEngine engine = CometEngine.builder().config(CometConfig.builder().password("pw").build())
                .maintenanceIntervalSeconds(0).build();
        try {
            CometQlServer server = CometQlServer.builder().engine(engine)
                    .config(CometQlConfig.builder().ip("127.0.0.1").port(0).build())
                    .eventLoopGroup(group, false).build();
            assertThatThrownBy(server::activePort).isInstanceOf(IllegalStateException.class);
            server.start().join();
            assertThat(server.activePort()).isPositive();
            try (RawMySqlClient c = new RawMySqlClient(server.activePort())) {
                assertThat(c.login("root", "pw", "CometQL_v1").isOk()).isTrue();
            }
            server.close();
            assertThat(group.isShuttingDown()).isFalse();
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
            engine.close();
        }
    }

    @Test
    void configDefaultsValidationAndToString() {
        CometQlConfig d = CometQlConfig.DEFAULT;
        assertThat(d.port()).isEqualTo(3300);
        assertThat(d.maxQueryBytes()).isEqualTo(9000);
        assertThat(d.mapUnknownUsersToNamespaceZero()).isFalse();
        assertThat(d.strict()).isFalse();
        assertThat(d.serverVersion()).isEqualTo("5.7.99-CometQL-0.1");
        CometQlConfig c = d.toBuilder().password("topsecret").port(0).build();
        assertThat(c.toString()).contains("password=****").doesNotContain("topsecret");
        assertThat(c.toBuilder().build().port()).isZero();
        assertThatThrownBy(() -> CometQlConfig.builder().port(70000)).hasMessage("port: 70000 (expected: 0..65535)");
        assertThatThrownBy(() -> CometQlConfig.builder().maxQueryBytes(100_000).build())
                .hasMessage("maxPacketBytes: 65536 (expected: > maxQueryBytes 100000)");
        assertThatThrownBy(() -> CometQlConfig.builder().serverVersion("CometQL"))
                .hasMessage("serverVersion: CometQL (expected: starts with a digit)");
    }

    @Test
    void startFailsWhenThePortIsTaken() throws Exception {
        try (TestServer first = new TestServer()) {
            CometQlServer second = CometQlServer.builder().engine(first.engine)
                    .config(CometQlConfig.builder().ip("127.0.0.1").port(first.port()).build()).build();
            assertThat(second.start()).failsWithin(java.time.Duration.ofSeconds(5));
            second.close();
        }
    }
}

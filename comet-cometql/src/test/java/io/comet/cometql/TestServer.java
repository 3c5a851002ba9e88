package io.comet.cometql;

import io.comet.core.CometConfig;
import io.comet.core.engine.CometEngine;

/** An engine plus a CometQL server on an ephemeral port, password {@value #PASSWORD}. */
final class TestServer implements AutoCloseable {

    static final String PASSWORD = "secret";

    final CometEngine engine;
    final CometQlServer server;

    TestServer() {
        this(CometQlConfig.builder().ip("127.0.0.1").port(0).build());
    }

    TestServer(CometQlConfig config) {
        engine = CometEngine.builder().config(CometConfig.builder().password(PASSWORD).build())
                .maintenanceIntervalSeconds(0).build();
        server = CometQlServer.builder().engine(engine).config(config).build();
        server.start().join();
    }

    int port() {
        return server.activePort();
    }

    @Override
    public void close() {
        server.close();
        engine.close();
    }
}

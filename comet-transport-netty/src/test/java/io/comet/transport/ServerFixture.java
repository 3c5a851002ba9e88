package io.comet.transport;

import io.comet.test.client.CometWsClient;
import io.comet.test.client.ClientPaths;
import io.comet.core.CometConfig;
import io.comet.core.engine.CometEngine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** One engine and one server on an ephemeral port, plus the raw clients a test opened. */
final class ServerFixture implements AutoCloseable {

    static final String UUID_A = "tMpNjHaKsxl_LmXmKY0fzqDjCuTPF17e";

    final CometEngine engine;
    final CometWebServer server;
    final int port;
    private final List<AutoCloseable> clients = new ArrayList<>();

    ServerFixture() {
        this(c -> c);
    }

    ServerFixture(UnaryOperator<WebConfigBuilder> web) {
        this(web, CometConfig.builder().password("secret").build());
    }

    ServerFixture(UnaryOperator<WebConfigBuilder> web, CometConfig config) {
        engine = CometEngine.builder().config(config).maintenanceIntervalSeconds(0).build();
        server = CometWebServer.builder().engine(engine).threads(2)
                .config(web.apply(WebConfig.builder().ip("127.0.0.1").port(0)).build()).build();
        server.start().join();
        port = server.activePort();
    }

    /** Opens a v4 client exactly as CometServerApi.js 4.08 does. */
    CometWsClient v4(Object userId, String key, String uuid) throws IOException {
        return open(ClientPaths.of("", key, userId, 0, "4.08", uuid));
    }

    CometWsClient anonymous(String uuid) throws IOException {
        return v4("undefined", "undefined", uuid);
    }

    CometWsClient open(String path) throws IOException {
        return track(CometWsClient.open(port, path));
    }

    CometWsClient open(String path, String headers) throws IOException {
        return track(CometWsClient.open(port, path, headers, true, 0));
    }

    /** Waits for a message on the client (a shorthand that reads well in tests). */
    java.util.Map<String, Object> await(CometWsClient c, String pipe, String event) {
        return c.await(m -> pipe.equals(m.get("pipe")) && event.equals(m.get("event")), java.time.Duration.ofSeconds(15));
    }

    <T extends AutoCloseable> T track(T c) {
        clients.add(c);
        return c;
    }

    @Override
    public void close() {
        for (AutoCloseable c : clients) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        server.close();
        engine.close();
    }
}

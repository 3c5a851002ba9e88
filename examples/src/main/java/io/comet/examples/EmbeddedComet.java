package io.comet.examples;

import io.comet.cometql.CometQlConfig;
import io.comet.cometql.CometQlServer;
import io.comet.core.CometConfig;
import io.comet.core.engine.CometEngine;
import io.comet.transport.CometWebServer;
import io.comet.transport.WebConfig;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A whole Comet server inside the example's JVM: one {@link CometEngine}, the browser listener
 * ({@link CometWebServer}: HTTP, WebSocket, long-poll, {@code /comet.js}, static files from
 * {@code baseDir}) and the CometQL listener ({@link CometQlServer}, the MySQL protocol the
 * backends speak). The same three pieces {@code comet-server.jar} wires from {@code comet.ini}.
 *
 * <pre>{@code
 * try (EmbeddedComet comet = EmbeddedComet.start("127.0.0.1", 8087, 3300, "secret", webRoot)) {
 *     System.out.println("open http://127.0.0.1:" + comet.webPort() + "/public/index.html");
 * }
 * }</pre>
 */
public final class EmbeddedComet implements AutoCloseable {

    private final CometEngine engine;
    private final CometWebServer web;
    private final CometQlServer cometql;
    private final String host;
    private final String password;

    private EmbeddedComet(CometEngine engine, CometWebServer web, CometQlServer cometql, String host,
            String password) {
        this.engine = engine;
        this.web = web;
        this.cometql = cometql;
        this.host = host;
        this.password = password;
    }

    /**
     * Starts engine and both listeners on {@code ip}; a port of 0 picks a free one.
     *
     * @param baseDir the folder served as static files ({@code [main] base_dir})
     */
    public static EmbeddedComet start(String ip, int webPort, int cometqlPort, String password, Path baseDir) {
        Objects.requireNonNull(password, "password");
        CometEngine engine = CometEngine.builder().config(CometConfig.builder().password(password).build()).build();
        CometWebServer web = null;
        CometQlServer cometql = null;
        try {
            web = CometWebServer.builder()
                    .engine(engine)
                    .config(WebConfig.builder().ip(ip).port(webPort).baseDir(baseDir).build())
                    .threads(2)
                    .build();
            web.start().join();
            cometql = CometQlServer.builder()
                    .engine(engine)
                    .config(CometQlConfig.builder().ip(ip).port(cometqlPort).password(password).build())
                    .build();
            cometql.start().join();
            return new EmbeddedComet(engine, web, cometql, ip.equals("0.0.0.0") ? "127.0.0.1" : ip, password);
        } catch (RuntimeException e) {
            if (cometql != null) {
                cometql.close();
            }
            if (web != null) {
                web.close();
            }
            engine.close();
            throw e;
        }
    }

    /** The engine (what an embedding Java application would call directly). */
    public CometEngine engine() {
        return engine;
    }

    /** The browser listener. */
    public CometWebServer web() {
        return web;
    }

    /** The real HTTP/WebSocket port. */
    public int webPort() {
        return web.activePort();
    }

    /** The real CometQL port. */
    public int cometqlPort() {
        return cometql.activePort();
    }

    /** What a page passes as {@code node} to {@code CometServer().start()}: {@code host:port}. */
    public String node() {
        return host + ":" + webPort();
    }

    /** Base URL of the browser listener, e.g. {@code http://127.0.0.1:8087}. */
    public String httpUrl() {
        return "http://" + node();
    }

    /** JDBC URL of the CometQL listener (user {@code root}, namespace 0). */
    public String jdbcUrl() {
        return "jdbc:mysql://" + host + ":" + cometqlPort() + "/CometQL_v1";
    }

    /** The CometQL password. */
    public String password() {
        return password;
    }

    /** Closes both listeners (connections are dropped abruptly, clients reconnect) and the engine. */
    @Override
    public void close() {
        try {
            cometql.close();
        } finally {
            try {
                web.close();
            } finally {
                engine.close();
            }
        }
    }
}

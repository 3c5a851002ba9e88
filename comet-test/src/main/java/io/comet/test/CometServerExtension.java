package io.comet.test;

import io.comet.core.engine.CometEngine;
import io.comet.server.CometServer;
import io.comet.server.CometServerBuilder;
import io.comet.test.client.ClientPaths;
import io.comet.test.client.CometQlClient;
import io.comet.test.client.CometWsClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A whole Comet server ({@link CometServer}: engine, WebSocket/HTTP and CometQL listeners) on
 * ephemeral ports of 127.0.0.1 for a JUnit 5 test, with clients that speak the real protocols.
 * As a {@code static} field it serves the whole class; as an instance field, each test:
 *
 * <pre>{@code
 * class ChatTest {
 *     @RegisterExtension
 *     static final CometServerExtension comet = new CometServerExtension();
 *
 *     @Test
 *     void aBackendPublishReachesTheBrowser() throws Exception {
 *         CometWsClient browser = comet.browser();
 *         browser.subscribe("web_chat");
 *         comet.awaitSubscribers("web_chat", 1);
 *         comet.cometql().publish("web_chat", "message", "hello");
 *         assertThat(browser.awaitData("web_chat", "message")).isEqualTo("hello");
 *     }
 * }
 * }</pre>
 *
 * Settings go through {@link #configure(CometServerBuilder)} (override it, or pass a
 * {@link Consumer} to the constructor), after the test defaults: ip {@code 127.0.0.1}, both ports
 * 0, password {@value #PASSWORD}, two web threads, memory store.
 *
 * <p>After each test the clients it opened here are closed and the extension checks that nothing
 * leaked: within {@link #LEAK_TIMEOUT} the engine is back to zero sessions and the web listener to
 * zero connections (WebSocket, HTTP, long-poll) and the CometQL listener to zero connections, else the test fails naming what is left ({@link #withoutLeakCheck()} turns this
 * off for a test that keeps connections on purpose). Netty buffer leaks are the business of
 * {@link io.comet.test.client.LeakDetectionExtension}.
 */
public class CometServerExtension extends ClassOrTestLifecycle {

    /** The CometQL password of the test server (user {@code root}). */
    public static final String PASSWORD = "secret";
    /** How long the after-test check waits for sessions and connections to go. */
    public static final Duration LEAK_TIMEOUT = Duration.ofSeconds(10);

    private final Consumer<CometServerBuilder> settings;
    private final List<AutoCloseable> clients = new ArrayList<>();
    private final AtomicLong uuids = new AtomicLong();
    private boolean leakCheck = true;
    private Duration leakTimeout = LEAK_TIMEOUT;
    private CometServer server;

    /** A server with the test defaults and {@link #configure} (override it for settings). */
    public CometServerExtension() {
        this(b -> { });
    }

    /**
     * A server with the test defaults, then {@code settings}, then {@link #configure}.
     *
     * @param settings changes to the builder, e.g. {@code b -> b.baseDir(web)}
     */
    public CometServerExtension(Consumer<CometServerBuilder> settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Turns off the after-test check of sessions and connections.
     *
     * @return this extension
     */
    public CometServerExtension withoutLeakCheck() {
        leakCheck = false;
        return this;
    }

    /** For the kit's own test of a failing check: waits shorter. */
    CometServerExtension leakTimeout(Duration v) {
        leakTimeout = v;
        return this;
    }

    /**
     * Changes the server's settings before it starts; does nothing unless overridden.
     *
     * @param builder the builder, with the test defaults and the constructor's settings applied
     */
    protected void configure(CometServerBuilder builder) {
    }

    @Override
    final boolean running() {
        return server != null;
    }

    @Override
    final void afterTest(boolean passed) {
        closeClients();
        if (leakCheck && passed) {
            LeakCheck.awaitNothingLeft(server, leakTimeout);
        }
    }

    @Override
    final void start() {
        CometServerBuilder b = CometServer.builder().ip("127.0.0.1").webPort(0).cometqlPort(0).password(PASSWORD)
                .webThreads(2).shutdownTimeout(Duration.ofSeconds(5));
        settings.accept(b);
        configure(b);
        server = b.start();
    }

    @Override
    final void stop() {
        closeClients();
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** {@return the running server} */
    public CometServer server() {
        if (server == null) {
            throw new IllegalStateException("the Comet server runs only during a test (is the extension registered?)");
        }
        return server;
    }

    /** {@return the server's engine: publish in-process, look at sessions and pipes} */
    public CometEngine engine() {
        return server().engine();
    }

    /** {@return the WebSocket/HTTP port} */
    public int webPort() {
        return server().webPort();
    }

    /** {@return the CometQL (MySQL protocol) port} */
    public int cometqlPort() {
        return server().cometqlPort();
    }

    /** {@return the CometQL JDBC URL (user {@code root}, password {@link #password()})} */
    public String jdbcUrl() {
        return server().jdbcUrl();
    }

    /** {@return the CometQL password} */
    public String password() {
        return server().password();
    }

    /**
     * An HTTP URI on the web port.
     *
     * @param path the path, starting with {@code /}
     * @return e.g. {@code http://127.0.0.1:41234/comet.js}
     */
    public URI httpUri(String path) {
        return URI.create("http://127.0.0.1:" + webPort() + path);
    }

    /** {@return a new anonymous v4 browser connection, closed after the test} */
    public CometWsClient browser() {
        return browser("undefined", "undefined");
    }

    /**
     * A new v4 browser connection of a user ({@code myid}, {@code sesion}), closed after the test.
     *
     * @param userId the user id
     * @param key    the session key, as authorized through {@code users_auth} (or a JWT)
     * @return the connected client (its {@code sys/serverInfo} arrives first)
     */
    public CometWsClient browser(Object userId, String key) {
        String uuid = String.format("kit%029d", uuids.incrementAndGet());
        try {
            return track(CometWsClient.open(webPort(), ClientPaths.v4(userId, key, uuid)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return a new CometQL connection as {@code root} (MySQL Connector/J), closed after the test} */
    public CometQlClient cometql() {
        return track(CometQlClient.connect(jdbcUrl(), "root", password()));
    }

    /**
     * Waits until a pipe has {@code n} subscribed connections on this node (namespace 0) — e.g.
     * after {@link CometWsClient#subscribe}, which has no reply.
     *
     * @param pipe the pipe
     * @param n    how many
     */
    public void awaitSubscribers(String pipe, int n) {
        LeakCheck.awaitSubscribers(engine(), pipe, n);
    }

    /**
     * Closes {@code client} after the test (before the leak check).
     *
     * @param client a client the test opened itself
     * @param <T>    its type
     * @return {@code client}
     */
    public synchronized <T extends AutoCloseable> T track(T client) {
        clients.add(client);
        return client;
    }

    private synchronized void closeClients() {
        for (AutoCloseable c : clients) {
            try {
                c.close();
            } catch (Exception e) {
                // already broken: what the leak check is about
            }
        }
        clients.clear();
    }
}

package io.comet.test;

import static io.comet.test.client.Waits.await;

import io.comet.core.CometConfig;
import io.comet.core.ConnectRequest;
import io.comet.core.engine.CometEngine;
import io.comet.core.engine.EngineBuilder;
import io.comet.core.engine.InProcessClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.awaitility.core.ConditionTimeoutException;

/**
 * An in-process {@link CometEngine} (memory store, no sockets) for unit tests of chat logic:
 * browsers are {@link InProcessClient}s that receive exactly what a WebSocket would. As a
 * {@code static} field one engine serves the class; as an instance field, each test. After each
 * test the clients opened here are disconnected and the engine must be back to zero sessions.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final CometEngineExtension comet = new CometEngineExtension();
 *
 * @Test
 * void aPublishReachesTheSubscriber() {
 *     InProcessClient tab = comet.anonymous();
 *     tab.subscribe(List.of("web_chat"));
 *     comet.engine().publish(0, "web_chat", "message", "hi").join();
 *     assertThat(tab.await(m -> m.pipe().equals("web_chat"), Duration.ofSeconds(5)).text()).isEqualTo("hi");
 * }
 * }</pre>
 */
public final class CometEngineExtension extends ClassOrTestLifecycle {

    private final Consumer<EngineBuilder> settings;
    private final List<InProcessClient> clients = new ArrayList<>();
    private final AtomicLong uuids = new AtomicLong();
    private CometEngine engine;

    /** An engine with password {@value CometServerExtension#PASSWORD}, no maintenance timer, memory store. */
    public CometEngineExtension() {
        this(b -> { });
    }

    /**
     * An engine with the defaults, then {@code settings} (e.g. a clock, a store, a config).
     *
     * @param settings changes to the engine builder
     */
    public CometEngineExtension(Consumer<EngineBuilder> settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    boolean running() {
        return engine != null;
    }

    @Override
    void afterTest(boolean passed) {
        disconnectClients();
        if (passed) {
            try {
                await("sessions closed").atMost(java.time.Duration.ofSeconds(5)).until(() -> engine.sessions().isEmpty());
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("left after the test: " + engine.sessions().size()
                        + " engine session(s) (disconnect the clients the test opened)", e);
            }
        }
    }

    @Override
    void start() {
        EngineBuilder b = CometEngine.builder().config(CometConfig.builder().password(CometServerExtension.PASSWORD).build())
                .maintenanceIntervalSeconds(0);
        settings.accept(b);
        engine = b.build();
    }

    @Override
    void stop() {
        disconnectClients();
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }

    /** {@return the engine} */
    public CometEngine engine() {
        if (engine == null) {
            throw new IllegalStateException("the engine runs only during a test (is the extension registered?)");
        }
        return engine;
    }

    /** {@return a new anonymous connection in namespace 0, disconnected after the test} */
    public InProcessClient anonymous() {
        return connect(ConnectRequest.anonymous(0, uuid()));
    }

    /**
     * A new connection of a user in namespace 0 (authorized when {@code key} is its hash or a JWT).
     *
     * @param userId the user
     * @param key    the session key
     * @return the connected client, disconnected after the test
     */
    public InProcessClient user(long userId, String key) {
        return connect(ConnectRequest.user(0, userId, key, uuid()));
    }

    /**
     * A new connection, disconnected after the test.
     *
     * @param request the connect request
     * @return the connected client
     */
    public synchronized InProcessClient connect(ConnectRequest request) {
        InProcessClient c = engine().connectInProcess(request);
        clients.add(c);
        return c;
    }

    private String uuid() {
        return String.format("inproc%026d", uuids.incrementAndGet());
    }

    private synchronized void disconnectClients() {
        for (InProcessClient c : clients) {
            c.disconnect();
        }
        clients.clear();
    }
}

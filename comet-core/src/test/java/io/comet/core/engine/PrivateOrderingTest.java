package io.comet.core.engine;

import io.comet.core.*;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.core.store.MemoryStore;
import io.comet.core.store.Store;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A live private message that arrives while the offline queue is still being read must go out
 * after the queued ones (issue [1]: "replayed whole, in order").
 */
class PrivateOrderingTest {

    @Test
    void liveMessageDuringReplayIsDeliveredAfterTheQueue() throws Exception {
        MemoryStore memory = new MemoryStore();
        CompletableFuture<Void> gate = new CompletableFuture<>();
        Store slowQueueRead = (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(memory, args);
                        if (method.getName().equals("queued")) {
                            return gate.thenCompose(v -> (CompletableFuture<?>) result);
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        CometEngine engine = CometEngine.builder().store(slowQueueRead).maintenanceIntervalSeconds(0).build();
        engine.accounts().putAuthHash(0, 5, "h").join();
        engine.sendPrivate(0, 5, "e", "queued-1").join();
        engine.sendPrivate(0, 5, "e", "queued-2").join();

        InProcessClientHarness h = new InProcessClientHarness(engine);
        CompletableFuture<Session> connecting = engine.connect(ConnectRequest.user(0, 5, "h", "u"), h.client);
        assertThat(connecting).isNotDone();
        assertThat(engine.sendPrivate(0, 5, "e", "live").join()).as("counted as delivered (parked)").isEqualTo(1);
        assertThat(h.client.messages("msg")).as("parked while replaying").isEmpty();
        gate.complete(null);
        connecting.get();
        List<Message> got = h.client.awaitCount("msg", 3, Duration.ofSeconds(5));
        assertThat(got).extracting(Message::text).containsExactly("queued-1", "queued-2", "live");
        assertThat(got.get(2).fromQueue()).isFalse();
        engine.close();
    }

    /** Gives access to the package-private InProcessClient constructor. */
    static final class InProcessClientHarness {
        final InProcessClient client;

        InProcessClientHarness(CometEngine engine) {
            client = new InProcessClient(engine);
        }
    }
}

package io.comet.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.comet.core.ConnectRequest;
import io.comet.core.StoreException;
import io.comet.core.store.MemoryStore;
import io.comet.core.store.Store;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** [7] point 5: a publish to a pipe with history is acknowledged only once its entry is durable. */
class DurablePublishTest {

    private final MemoryStore memory = new MemoryStore();
    private final AtomicBoolean fail = new AtomicBoolean();
    private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

    /** A store whose history appends fail or wait on demand. */
    private final Store faulty = (Store) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Store.class},
            (proxy, method, args) -> {
                if (method.getName().equals("appendHistory")) {
                    if (fail.get()) {
                        return CompletableFuture.failedFuture(new StoreException("disk on fire", null));
                    }
                    CompletableFuture<Void> g = gate;
                    return g.thenCompose(v -> {
                        try {
                            return (CompletableFuture<?>) method.invoke(memory, args);
                        } catch (ReflectiveOperationException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                }
                try {
                    return method.invoke(memory, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });

    @Test
    void aFailedHistoryWriteFailsThePublishIsCountedAndDeliversNothing() {
        try (CometEngine engine = CometEngine.builder().store(faulty).maintenanceIntervalSeconds(0).build()) {
            engine.history().setLength(0, "web_log", 10).join();
            InProcessClient c = engine.connectInProcess(ConnectRequest.anonymous(0, "a"));
            c.subscribe(List.of("web_log", "web_free"));
            fail.set(true);
            assertThatThrownBy(() -> engine.publish(0, "web_log", "e", "lost").join())
                    .isInstanceOf(CompletionException.class).hasCauseInstanceOf(StoreException.class);
            assertThat(engine.stats().historyWriteFailures()).isEqualTo(1);
            assertThat(engine.publish(0, "web_free", "e", "no history, no write").join()).isEqualTo(1);
            fail.set(false);
            assertThat(engine.publish(0, "web_log", "e", "kept").join()).isEqualTo(1);
            assertThat(c.messages("web_log")).extracting(m -> m.text()).containsExactly("kept");
        }
    }

    @Test
    void aStalledHistoryWriteHoldsTheAcknowledgementAndTheDelivery() {
        try (CometEngine engine = CometEngine.builder().store(faulty).maintenanceIntervalSeconds(0).build()) {
            engine.history().setLength(0, "web_log", 10).join();
            InProcessClient c = engine.connectInProcess(ConnectRequest.anonymous(0, "a"));
            c.subscribe(List.of("web_log"));
            CompletableFuture<Void> release = new CompletableFuture<>();
            gate = release;
            CompletableFuture<Integer> ack = engine.publish(0, "web_log", "e", "waiting");
            assertThat(ack).as("not acknowledged before durable").isNotDone();
            assertThat(c.messages("web_log")).as("not delivered before durable").isEmpty();
            release.complete(null);
            assertThat(ack.join()).isEqualTo(1);
            assertThat(c.awaitCount("web_log", 1, Duration.ofSeconds(5))).extracting(m -> m.offset()).containsExactly(1L);
        }
    }
}

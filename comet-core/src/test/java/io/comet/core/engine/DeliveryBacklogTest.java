package io.comet.core.engine;

import io.comet.core.*;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The push-back SPI: publishers wait while a registered transport is over its delivery budget. */
class DeliveryBacklogTest {

    /** A budget whose pending bytes a test sets by hand. */
    static final class Budget implements DeliveryBacklog {
        final AtomicLong pending = new AtomicLong();
        final long limit;
        volatile CompletableFuture<Void> waiter;

        Budget(long limit) {
            this.limit = limit;
        }

        @Override
        public long pendingBytes() {
            return pending.get();
        }

        @Override
        public long limit() {
            return limit;
        }

        @Override
        public synchronized CompletableFuture<Void> whenBelowLimit() {
            if (pending.get() < limit) {
                return CompletableFuture.completedFuture(null);
            }
            if (waiter == null) {
                waiter = new CompletableFuture<>();
            }
            return waiter;
        }

        synchronized void set(long bytes) {
            pending.set(bytes);
            if (bytes < limit && waiter != null) {
                CompletableFuture<Void> w = waiter;
                waiter = null;
                w.complete(null);
            }
        }
    }

    @Test
    void withoutBudgetsPublishersNeverWait() {
        try (CometEngine engine = CometEngine.builder().maintenanceIntervalSeconds(0).build()) {
            assertThat(engine.backpressure().whenBelowLimit()).isDone();
        }
    }

    @Test
    void waitsUntilEveryBudgetIsBelowItsLimit() {
        try (CometEngine engine = CometEngine.builder().maintenanceIntervalSeconds(0).build()) {
            Budget a = new Budget(100);
            Budget b = new Budget(100);
            engine.backpressure().add(a);
            engine.backpressure().add(b);
            assertThat(engine.backpressure().whenBelowLimit()).isDone();
            a.set(150);
            b.set(100);
            CompletableFuture<Void> f = engine.backpressure().whenBelowLimit();
            assertThat(f).isNotDone();
            a.set(10);
            assertThat(f).isNotDone();
            b.set(99);
            assertThat(f).isDone();
            b.set(500);
            engine.backpressure().remove(b);
            assertThat(engine.backpressure().whenBelowLimit()).isDone();
        }
    }
}

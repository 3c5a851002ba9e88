package io.comet.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.core.StoreException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FaultyStoreTest {

    private final FaultyStore store = new FaultyStore(new MemoryStore());

    private static HistoryEntry entry(String id, long offset) {
        return new HistoryEntry(id, 1, "p", "e", "t", 0, offset);
    }

    @Test
    void failingWritesCompleteWithAStoreExceptionAndAreCounted() throws Exception {
        store.failWrites(true);
        CompletableFuture<Void> put = store.putAuthHash(1, 1, "h");
        CompletableFuture<Void> append = store.appendHistory(1, "ep", entry("a", 1), 0);
        for (CompletableFuture<Void> f : List.of(put, append)) {
            assertThat(f).failsWithin(Duration.ZERO)
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(StoreException.class)
                    .satisfies(e -> assertThat(((StoreException) e).code()).isEqualTo(500));
        }
        assertThat(store.failedWrites()).isEqualTo(2);
        assertThat(store.authHash(1, 1).get()).isEmpty(); // reads still work, nothing was written
        assertThat(store.stream(1, "p").get()).isEmpty();
        assertThat(store.flush()).isCompleted(); // flush never fails

        store.failWrites(false);
        store.putAuthHash(1, 1, "h").get();
        assertThat(store.authHash(1, 1).get()).contains("h");
        assertThat(store.failedWrites()).isEqualTo(2);
    }

    @Test
    void stalledWritesWaitForTheReleaseAndThenApplyInCallOrder() throws Exception {
        FaultyStore.Stall stall = store.stallWrites();
        CompletableFuture<Void> first = store.appendHistory(1, "ep", entry("a", 1), 0);
        CompletableFuture<Void> second = store.appendHistory(1, "ep", entry("b", 2), 0);
        CompletableFuture<Void> flush = store.flush();
        assertThat(store.heldWrites()).isEqualTo(3);
        assertThat(first).isNotDone();
        assertThat(flush).isNotDone();
        assertThat(store.history(1, "p", 99).get()).isEmpty(); // reads are not held

        stall.release();
        stall.release(); // idempotent
        assertThat(first).isCompleted();
        assertThat(second).isCompleted();
        assertThat(flush).isCompleted();
        assertThat(store.heldWrites()).isZero();
        assertThat(store.history(1, "p", 99).get()).extracting(HistoryEntry::id).containsExactly("a", "b");
        assertThat(store.stream(1, "p").get()).contains(new StreamPosition("ep", 2));

        store.putUserData(1, 1, "after").get(); // not held any more
        assertThat(store.userData(1, 1).get()).contains("after");
    }

    @Test
    void writesStayHeldUntilEveryStallIsReleased() throws Exception {
        FaultyStore.Stall a = store.stallWrites();
        CompletableFuture<Void> w = store.putUserData(1, 1, "x");
        try (FaultyStore.Stall b = store.stallWrites()) {
            a.release();
            assertThat(w).isNotDone();
        }
        assertThat(w).isCompleted();
        assertThat(store.userData(1, 1).get()).contains("x");
    }

    @Test
    void aFailureDecidedAtTheCallIsNotHeld() {
        try (FaultyStore.Stall stall = store.stallWrites()) {
            store.failWrites(true);
            assertThat(store.revoke(1, "t")).isCompletedExceptionally();
            assertThat(store.heldWrites()).isZero();
        }
    }
}

package io.comet.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.core.store.QueuedMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Durable writes are acknowledged after COMMIT, and concurrent writes share commits: many
 * clients, each waiting for its own acknowledgement before the next write (as CometQL clients
 * do), produce far fewer commits than writes.
 */
abstract class GroupCommitTest {

    static final int CLIENTS = 16;
    static final int WRITES_PER_CLIENT = 150;

    JdbcStore store;

    abstract JdbcStoreConfig config() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = JdbcStore.open(config());
    }

    @AfterEach
    void close() {
        if (store != null) { // null when the database was not reachable and the test was skipped
            store.close();
        }
    }

    @Test
    void concurrentDurableWritesAreBatchedIntoFewerCommits() throws Exception {
        long commits0 = store.commitCount();
        long writes0 = store.writeCount();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        long t0 = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                long user = 100 + c;
                done.add(clients.submit(() -> {
                    for (int i = 0; i < WRITES_PER_CLIENT; i++) {
                        // one acknowledged write at a time per client, alternating tables
                        CompletableFuture<Void> f = i % 2 == 0
                                ? store.enqueue(1, user, new QueuedMessage(user + "-" + i, 1, "e", "m" + i), 1000)
                                : store.putAuthHash(1, user, "hash" + i);
                        f.get(20, TimeUnit.SECONDS);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long writes = store.writeCount() - writes0;
        long commits = store.commitCount() - commits0;
        int total = CLIENTS * WRITES_PER_CLIENT;
        System.out.printf("%s: %d durable writes from %d clients in %.2f s = %.0f writes/s, %d commits"
                        + " (%.1f writes per commit, largest batch %d)%n",
                getClass().getSimpleName(), writes, CLIENTS, seconds, writes / seconds, commits,
                (double) writes / commits, store.largestBatch());
        assertThat(writes).isEqualTo(total);
        assertThat(commits).as("commits for %d concurrent writes", total).isLessThan(total / 2);
        assertThat(store.largestBatch()).isGreaterThan(1);
        assertThat(writes / seconds).as("durable writes per second (floor for a loaded 2-core CI machine)").isGreaterThan(150);
        for (int c = 0; c < CLIENTS; c++) {
            long user = 100 + c;
            List<QueuedMessage> q = store.queued(1, user, -1).get(20, TimeUnit.SECONDS);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < WRITES_PER_CLIENT; i += 2) {
                expected.add(user + "-" + i);
            }
            assertThat(q).extracting(QueuedMessage::id).containsExactlyElementsOf(expected);
            assertThat(store.authHash(1, user).get(20, TimeUnit.SECONDS)).contains("hash" + (WRITES_PER_CLIENT - 1));
        }
    }

    @Test
    void aFailingWriteFailsAloneAndTheRestOfItsBatchCommits() throws Exception {
        List<CompletableFuture<Void>> good = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            good.add(store.putAuthHash(1, 500 + i, "ok" + i));
        }
        // an event longer than the column: the database refuses this one statement
        CompletableFuture<Void> bad = store.enqueue(1, 9, new QueuedMessage("bad", 1, "e".repeat(300), "t"), 10);
        for (int i = 20; i < 40; i++) {
            good.add(store.putAuthHash(1, 500 + i, "ok" + i));
        }
        assertThat(bad).failsWithin(java.time.Duration.ofSeconds(20))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOf(io.comet.core.StoreException.class)
                .withMessageStartingWith("Store write failed");
        for (int i = 0; i < 40; i++) {
            good.get(i).get(20, TimeUnit.SECONDS);
            assertThat(store.authHash(1, 500 + i).get(20, TimeUnit.SECONDS)).contains("ok" + i);
        }
        assertThat(store.queued(1, 9, 10).get(20, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void aLoneWriterIsNotDelayed() throws Exception {
        long commits0 = store.commitCount();
        long t0 = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            store.putUserData(1, 1, "v" + i).get(20, TimeUnit.SECONDS);
        }
        double ms = (System.nanoTime() - t0) / 1e6 / 50;
        System.out.printf("%s: sequential durable write latency %.2f ms%n", getClass().getSimpleName(), ms);
        assertThat(store.commitCount() - commits0).isEqualTo(50); // nothing to share: one commit each
    }
}

package io.comet.core.store;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Fixtures of the store contract tests ({@link StoreContractTest}, {@link HistoryContractTest}):
 * the store under test, opened empty before each test, and helpers to wait and to build rows.
 */
public abstract class StoreTestBase {

    /** How long any single store operation may take in these tests. */
    protected static final Duration WAIT = Duration.ofSeconds(20);

    /** The store under test, opened empty before each test. */
    protected Store store;

    /** A new store over an empty database. */
    protected abstract Store openEmpty() throws Exception;

    /** Closes {@code current} and opens a store over the same data; null when not durable. */
    protected Store reopen(Store current) throws Exception {
        return null;
    }

    @BeforeEach
    void openStore() throws Exception {
        store = openEmpty();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /** Waits for a store future. */
    protected static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new CompletionException(e.getCause());
        } catch (Exception e) {
            throw new AssertionError("store operation did not complete within " + WAIT, e);
        }
    }

    protected static QueuedMessage q(String id, long time) {
        return new QueuedMessage(id, time, "evt", "text of " + id);
    }

    /** Epoch of the streams the tests append to through {@link #append}. */
    protected static final String EPOCH = "epoch-1";

    private final Map<String, Long> lastOffsets = new HashMap<>();

    protected static HistoryEntry h(String id, String pipe, long time) {
        return new HistoryEntry(id, time, pipe, "evt", "text of " + id, 0, 0);
    }

    protected static HistoryEntry h(String id, String pipe, long time, long offset) {
        return new HistoryEntry(id, time, pipe, "evt", "text of " + id, 0, offset);
    }

    /** Appends {@code e} in {@link #EPOCH} with the next offset of its (devId, pipe): 1, 2, 3… */
    protected CompletableFuture<Void> append(int devId, HistoryEntry e, int keepNewest) {
        long offset = lastOffsets.merge(devId + "/" + e.pipe(), 1L, Long::sum);
        return store.appendHistory(devId, EPOCH,
                new HistoryEntry(e.id(), e.time(), e.pipe(), e.event(), e.text(), e.userId(), offset), keepNewest);
    }

    protected static List<Long> offsets(List<HistoryEntry> l) {
        return l.stream().map(HistoryEntry::offset).collect(Collectors.toList());
    }

    protected static List<String> ids(List<QueuedMessage> l) {
        return l.stream().map(QueuedMessage::id).collect(Collectors.toList());
    }

    protected static List<String> hids(List<HistoryEntry> l) {
        return l.stream().map(HistoryEntry::id).collect(Collectors.toList());
    }
}

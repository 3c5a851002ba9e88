package io.comet.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.comet.core.StoreException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A slow or unreachable database makes store operations fail with a clear {@link StoreException}
 * (code 500) after the operation timeout instead of hanging, and the store works again by itself
 * when the database returns. The database sits behind a {@link TcpProxy} that the test stalls or
 * cuts.
 */
abstract class DatabaseOutageTest {

    static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(2);

    TcpProxy proxy;
    JdbcStore store;

    /** Starts (or finds) the database; returns its host and port. */
    abstract String[] database() throws Exception;

    /** Store settings that reach the database through {@code proxyPort}. */
    abstract JdbcStoreConfig.Builder through(int proxyPort) throws Exception;

    @BeforeEach
    void open() throws Exception {
        String[] db = database();
        proxy = new TcpProxy(db[0], Integer.parseInt(db[1]));
        store = JdbcStore.open(through(proxy.port())
                .operationTimeout(OPERATION_TIMEOUT)
                .queryTimeout(Duration.ofSeconds(1))
                .poolSize(2)
                .build());
        store.putAuthHash(1, 1, "before").get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws Exception {
        if (proxy != null) {
            proxy.restore();
        }
        if (store != null) {
            store.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    static void assertFailsWithStoreErrorInTime(CompletableFuture<?> f, long startNanos) {
        try {
            f.get(OPERATION_TIMEOUT.toMillis() + 8000, TimeUnit.MILLISECONDS);
            fail("expected a StoreException while the database is out");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(StoreException.class);
            StoreException se = (StoreException) e.getCause();
            assertThat(se.code()).isEqualTo(500);
            assertThat(se.getMessage()).containsAnyOf("timed out", "unavailable");
        } catch (Exception e) {
            throw new AssertionError("the operation hung instead of failing after the timeout", e);
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        assertThat(ms).as("failed after %d ms", ms).isLessThan(OPERATION_TIMEOUT.toMillis() + 6000);
    }

    /** After the database is back, a few operations (each with its own deadline) must succeed. */
    void assertRecovers() throws Exception {
        Exception last = null;
        for (int attempt = 0; attempt < 4; attempt++) {
            try {
                store.putAuthHash(1, 3, "after").get(OPERATION_TIMEOUT.toMillis() + 5000, TimeUnit.MILLISECONDS);
                assertThat(store.authHash(1, 1).get(10, TimeUnit.SECONDS)).contains("before");
                assertThat(store.authHash(1, 3).get(10, TimeUnit.SECONDS)).contains("after");
                return;
            } catch (ExecutionException e) {
                last = e; // the first try may still meet a connection dropped by the outage
            }
        }
        throw new AssertionError("store did not recover after the database returned", last);
    }

    @Test
    void aStalledDatabaseFailsOperationsAfterTheTimeoutAndTheStoreRecovers() throws Exception {
        proxy.stall();
        long t0 = System.nanoTime();
        CompletableFuture<Void> write = store.putAuthHash(1, 2, "during");
        CompletableFuture<Void> enqueue = store.enqueue(1, 2, new io.comet.core.store.QueuedMessage("q", 1, "e", "t"), 10);
        CompletableFuture<?> read = store.authHash(1, 1);
        for (CompletableFuture<?> f : List.of(write, enqueue, read)) {
            assertFailsWithStoreErrorInTime(f, t0);
        }
        proxy.restore();
        assertRecovers();
    }

    @Test
    void anUnreachableDatabaseFailsOperationsAfterTheTimeoutAndTheStoreReconnects() throws Exception {
        proxy.refuse();
        long t0 = System.nanoTime();
        CompletableFuture<Void> write = store.putUserData(1, 2, "during");
        CompletableFuture<?> read = store.userData(1, 2);
        assertFailsWithStoreErrorInTime(write, t0);
        assertFailsWithStoreErrorInTime(read, t0);
        proxy.restore();
        assertRecovers();
    }
}

package io.comet.core.store;

import io.comet.core.StoreException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A {@link Store} for tests that fails or stalls writes on demand, wrapping any store (usually a
 * {@link MemoryStore}). Reads always go straight to the wrapped store.
 *
 * <ul>
 *   <li>{@link #failWrites(boolean) failWrites(true)}: every write issued from then on completes
 *       exceptionally with a {@link StoreException} (code 500) without reaching the wrapped store,
 *       and is counted in {@link #failedWrites()}.</li>
 *   <li>{@link #stallWrites()}: writes issued from then on are held (their futures stay pending,
 *       the wrapped store does not see them) until the returned {@link Stall} is released; then
 *       they reach the wrapped store in call order, before any later write. {@link #heldWrites()}
 *       tells a test how many are waiting, so it can wait for them without sleeping.</li>
 * </ul>
 *
 * <pre>{@code
 * FaultyStore store = new FaultyStore(new MemoryStore());
 * CometEngine engine = CometEngine.builder().store(store).build();
 * try (FaultyStore.Stall stall = store.stallWrites()) {
 *     // the engine's writes are pending here
 * } // released
 * store.failWrites(true); // the engine's writes fail from now on
 * }</pre>
 *
 * <p>{@link #flush()} is held by a stall like a write (it completes after the writes before it)
 * but never fails. Thread-safe.
 */
public final class FaultyStore implements Store {

    private final Store delegate;
    private final Object lock = new Object();
    private final List<Runnable> held = new ArrayList<>();
    private final AtomicLong failedWrites = new AtomicLong();
    private volatile boolean failing;
    private int activeStalls;

    /** Wraps {@code delegate}; writes pass through until told otherwise. */
    public FaultyStore(Store delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** While {@code true}, writes fail with a {@link StoreException} instead of reaching the wrapped store. */
    public FaultyStore failWrites(boolean fail) {
        failing = fail;
        return this;
    }

    /** Number of writes failed on purpose so far. */
    public long failedWrites() {
        return failedWrites.get();
    }

    /** Number of writes (and flushes) currently held by a stall. */
    public int heldWrites() {
        synchronized (lock) {
            return held.size();
        }
    }

    /** Holds every write issued from now on until the returned stall is released. */
    public Stall stallWrites() {
        synchronized (lock) {
            activeStalls++;
        }
        return new Stall();
    }

    /** A stall started by {@link #stallWrites()}; {@link #release()} (or {@link #close()}) ends it. */
    public final class Stall implements AutoCloseable {
        private boolean released;

        private Stall() {
        }

        /**
         * Ends this stall; when no other stall is active, the held writes reach the wrapped store
         * in call order. Idempotent.
         */
        public void release() {
            synchronized (lock) {
                if (released) {
                    return;
                }
                released = true;
                if (--activeStalls == 0) {
                    // forwarded under the lock: a write issued meanwhile cannot overtake them
                    List<Runnable> now = new ArrayList<>(held);
                    held.clear();
                    now.forEach(Runnable::run);
                }
            }
        }

        @Override
        public void close() {
            release();
        }
    }

    private <T> CompletableFuture<T> write(String name, Supplier<CompletableFuture<T>> op) {
        if (failing) {
            failedWrites.incrementAndGet();
            return CompletableFuture.failedFuture(new StoreException("Store write failed: " + name
                    + " (failure injected by FaultyStore)", null));
        }
        return ordered(op);
    }

    private <T> CompletableFuture<T> ordered(Supplier<CompletableFuture<T>> op) {
        synchronized (lock) {
            if (activeStalls == 0) {
                return op.get();
            }
            CompletableFuture<T> result = new CompletableFuture<>();
            held.add(() -> op.get().whenComplete((v, e) -> {
                if (e != null) {
                    result.completeExceptionally(e);
                } else {
                    result.complete(v);
                }
            }));
            return result;
        }
    }

    @Override
    public CompletableFuture<Optional<String>> authHash(int devId, long userId) {
        return delegate.authHash(devId, userId);
    }

    @Override
    public CompletableFuture<Void> putAuthHash(int devId, long userId, String hash) {
        return write("putAuthHash", () -> delegate.putAuthHash(devId, userId, hash));
    }

    @Override
    public CompletableFuture<Void> deleteAuthHash(int devId, long userId) {
        return write("deleteAuthHash", () -> delegate.deleteAuthHash(devId, userId));
    }

    @Override
    public CompletableFuture<Long> lastSeen(int devId, long userId) {
        return delegate.lastSeen(devId, userId);
    }

    @Override
    public CompletableFuture<Void> putLastSeen(int devId, long userId, long unixSeconds) {
        return write("putLastSeen", () -> delegate.putLastSeen(devId, userId, unixSeconds));
    }

    @Override
    public CompletableFuture<Void> enqueue(int devId, long userId, QueuedMessage message, int maxPerUser) {
        return write("enqueue", () -> delegate.enqueue(devId, userId, message, maxPerUser));
    }

    @Override
    public CompletableFuture<List<QueuedMessage>> queued(int devId, long userId, int limit) {
        return delegate.queued(devId, userId, limit);
    }

    @Override
    public CompletableFuture<Void> deleteQueued(int devId, long userId, Collection<String> ids) {
        List<String> copy = List.copyOf(ids);
        return write("deleteQueued", () -> delegate.deleteQueued(devId, userId, copy));
    }

    @Override
    public CompletableFuture<Void> clearQueue(int devId, long userId) {
        return write("clearQueue", () -> delegate.clearQueue(devId, userId));
    }

    @Override
    public CompletableFuture<List<PipeSetting>> pipeSettings() {
        return delegate.pipeSettings();
    }

    @Override
    public CompletableFuture<Void> putPipeSetting(int devId, String pipe, int length) {
        return write("putPipeSetting", () -> delegate.putPipeSetting(devId, pipe, length));
    }

    @Override
    public CompletableFuture<Void> deletePipeSetting(int devId, String pipe) {
        return write("deletePipeSetting", () -> delegate.deletePipeSetting(devId, pipe));
    }

    @Override
    public CompletableFuture<Void> appendHistory(int devId, String epoch, HistoryEntry entry, int keepNewest) {
        new StreamPosition(epoch, entry.offset()); // refuses a bad epoch at the call, as every store
        return write("appendHistory", () -> delegate.appendHistory(devId, epoch, entry, keepNewest));
    }

    @Override
    public CompletableFuture<Optional<StreamPosition>> stream(int devId, String pipe) {
        return delegate.stream(devId, pipe);
    }

    @Override
    public CompletableFuture<List<HistoryEntry>> history(int devId, String pipe, int limit) {
        return delegate.history(devId, pipe, limit);
    }

    @Override
    public CompletableFuture<List<HistoryEntry>> historySince(int devId, String pipe, long afterOffset, int limit) {
        return delegate.historySince(devId, pipe, afterOffset, limit);
    }

    @Override
    public CompletableFuture<Void> deleteHistory(int devId, String pipe) {
        return write("deleteHistory", () -> delegate.deleteHistory(devId, pipe));
    }

    @Override
    public CompletableFuture<Void> deleteHistoryEntry(int devId, String id) {
        return write("deleteHistoryEntry", () -> delegate.deleteHistoryEntry(devId, id));
    }

    @Override
    public CompletableFuture<Optional<String>> userData(int devId, long userId) {
        return delegate.userData(devId, userId);
    }

    @Override
    public CompletableFuture<Void> putUserData(int devId, long userId, String data) {
        return write("putUserData", () -> delegate.putUserData(devId, userId, data));
    }

    @Override
    public CompletableFuture<Void> deleteUserData(int devId, long userId) {
        return write("deleteUserData", () -> delegate.deleteUserData(devId, userId));
    }

    @Override
    public CompletableFuture<Boolean> isRevoked(int devId, String token) {
        return delegate.isRevoked(devId, token);
    }

    @Override
    public CompletableFuture<Void> revoke(int devId, String token) {
        return write("revoke", () -> delegate.revoke(devId, token));
    }

    @Override
    public CompletableFuture<Void> unrevoke(int devId, String token) {
        return write("unrevoke", () -> delegate.unrevoke(devId, token));
    }

    @Override
    public CompletableFuture<List<String>> revokedTokens(int devId) {
        return delegate.revokedTokens(devId);
    }

    @Override
    public CompletableFuture<Void> purge(long queueBefore, long trustHistoryBefore) {
        return write("purge", () -> delegate.purge(queueBefore, trustHistoryBefore));
    }

    @Override
    public CompletableFuture<Void> flush() {
        return ordered(delegate::flush);
    }

    /** Forwards the held writes (ending every stall) and closes the wrapped store. */
    @Override
    public void close() {
        synchronized (lock) {
            activeStalls = 0;
            List<Runnable> now = new ArrayList<>(held);
            held.clear();
            now.forEach(Runnable::run);
        }
        delegate.close();
    }
}

package io.comet.core.store.jdbc;

import io.comet.core.StoreException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threading half of {@link JdbcStore}: writes go to one FIFO queue served by the
 * {@link GroupCommitWriter}; reads run on {@code poolSize - 1} reader threads, each after every
 * write issued before it has settled (read-your-writes); every operation has a deadline
 * ({@link OpCompleter}); a read that meets a lost connection retries until its deadline.
 */
final class StoreRunner {

    private static final Logger log = LoggerFactory.getLogger(StoreRunner.class);

    private final JdbcStoreConfig config;
    private final String where;
    private final Connections connections;
    private final OpCompleter completer;
    private final LinkedBlockingQueue<StoreOp.Write<?>> writes = new LinkedBlockingQueue<>();
    private final Object submitLock = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean shutDown = new AtomicBoolean();
    private final GroupCommitWriter writer;
    private final StoreThread writerThread;
    private final ThreadPoolExecutor readers;
    /** Settles when the last write issued so far has settled. */
    private volatile CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    StoreRunner(JdbcStoreConfig config, Dialect dialect, String where, int schemaVersion) {
        this.config = config;
        this.where = where;
        this.connections = new Connections(config, dialect, where);
        this.completer = new OpCompleter(config.operationTimeout(), where);
        this.readers = new ThreadPoolExecutor(config.poolSize() - 1, config.poolSize() - 1, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), StoreThread.factory("reader"));
        this.writer = new GroupCommitWriter(config, dialect, where, schemaVersion, connections, completer, writes,
                this::refuseNewOperations);
        this.writerThread = new StoreThread(writer, JdbcStore.THREAD_PREFIX + "writer");
        writerThread.start();
    }

    GroupCommitWriter writer() {
        return writer;
    }

    private void refuseNewOperations() {
        synchronized (submitLock) {
            closed.set(true);
        }
    }

    private <T> StoreOp.Write<T> newWrite(String name, StoreOp.Action<T> action) {
        StoreOp.Write<T> op = new StoreOp.Write<>(name, action, completer.deadlineFromNow());
        completer.armTimeout(op);
        tail = op.settled;
        return op;
    }

    /** Queues a write ({@code action == null}: a marker that completes when the writes before it are committed). */
    <T> CompletableFuture<T> write(String name, StoreOp.Action<T> action) {
        synchronized (submitLock) {
            if (closed.get()) {
                return CompletableFuture.failedFuture(closedException(name));
            }
            StoreOp.Write<T> op = newWrite(name, action);
            writes.add(op);
            return op.result;
        }
    }

    /** Runs a read on a reader thread after every write issued before it has settled. */
    <T> CompletableFuture<T> read(String name, StoreOp.Action<T> action) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(closedException(name));
        }
        StoreOp.Read<T> op = new StoreOp.Read<>(name, action, completer.deadlineFromNow());
        completer.armTimeout(op);
        tail.whenComplete((v, e) -> {
            try {
                readers.execute(() -> runRead(op));
            } catch (RejectedExecutionException ex) {
                completer.fail(op, closedException(name));
            }
        });
        return op.result;
    }

    private static StoreException closedException(String name) {
        return new StoreException("Store is closed (" + name + ")", null);
    }

    private <T> void runRead(StoreOp.Read<T> op) {
        while (!op.isFinished()) {
            Handle h = null;
            try {
                h = connections.open();
                T v = op.action.apply(h);
                Connections.release(h);
                completer.succeed(op, v);
                return;
            } catch (Exception e) {
                RuntimeException re = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                boolean connectionLost = Connections.isConnectionProblem(h, re);
                if (connectionLost) {
                    connections.discard(h);
                } else {
                    Connections.release(h);
                }
                if (!connectionLost) {
                    completer.fail(op, new StoreException("Store read failed: " + Connections.rootMessage(re), re));
                    return;
                }
                if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GroupCommitWriter.RETRY_PAUSE_MS) >= op.deadlineNanos) {
                    completer.fail(op, new StoreException("Store database " + where + " unavailable: "
                            + Connections.rootMessage(re), re));
                    return;
                }
                try {
                    Thread.sleep(GroupCommitWriter.RETRY_PAUSE_MS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    completer.fail(op, closedException(op.name));
                    return;
                }
            }
        }
    }

    /**
     * Stops accepting operations, lets the writer commit everything queued (waiting at most the
     * operation timeout), stops the threads and closes the pool. Idempotent.
     */
    void close() {
        StoreOp.Write<Void> last;
        synchronized (submitLock) {
            if (!shutDown.compareAndSet(false, true)) {
                return;
            }
            closed.set(true);
            last = newWrite("close", null);
            writes.add(last);
            writes.add(GroupCommitWriter.POISON);
        }
        long waitMs = config.operationTimeout().toMillis() + 1000;
        try {
            if (!writer.started().isCompletedExceptionally()) {
                last.result.get(waitMs, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("store {}: writes still pending at close may be lost: {}", where, e.toString());
        }
        try {
            writerThread.join(waitMs);
            readers.shutdown();
            readers.awaitTermination(waitMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connections.close();
        completer.shutdown();
    }
}

package io.comet.core.store.jdbc;

import io.comet.core.CometException;
import io.comet.core.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's single writer ({@code comet-store-writer}): it first connects and migrates the
 * schema (completing {@link #started()}), then takes what is queued (at most
 * {@link JdbcStoreConfig#writeBatchSize()}, optionally waiting {@link JdbcStoreConfig#maxBatchDelay()}
 * for more), runs it in one transaction, commits, and only then completes the futures of the
 * batch, in issue order. A statement error re-runs the batch one write per transaction, so only
 * the faulty write fails; a lost connection is retried until the earliest deadline of the batch.
 */
final class GroupCommitWriter implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

    /** Pause before retrying after a lost connection. */
    static final long RETRY_PAUSE_MS = 200;
    /** Ends the writer loop; nothing is queued after it. */
    static final StoreOp.Write<Void> POISON = new StoreOp.Write<>("poison", null, 0);

    private final JdbcStoreConfig config;
    private final Dialect dialect;
    private final String where;
    private final int schemaVersion;
    private final Connections connections;
    private final OpCompleter completer;
    private final LinkedBlockingQueue<StoreOp.Write<?>> queue;
    private final Runnable onStartFailure;
    private final CompletableFuture<Integer> started = new CompletableFuture<>();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong committedWrites = new AtomicLong();
    private final AtomicInteger largestBatch = new AtomicInteger();

    GroupCommitWriter(JdbcStoreConfig config, Dialect dialect, String where, int schemaVersion, Connections connections,
            OpCompleter completer, LinkedBlockingQueue<StoreOp.Write<?>> queue, Runnable onStartFailure) {
        this.config = config;
        this.dialect = dialect;
        this.where = where;
        this.schemaVersion = schemaVersion;
        this.connections = connections;
        this.completer = completer;
        this.queue = queue;
        this.onStartFailure = onStartFailure;
    }

    /** Completes with the schema version found at start (0: created) once the store can work. */
    CompletableFuture<Integer> started() {
        return started;
    }

    long commitCount() {
        return commits.get();
    }

    long writeCount() {
        return committedWrites.get();
    }

    int largestBatch() {
        return largestBatch.get();
    }

    @Override
    public void run() {
        try {
            started.complete(startUp());
        } catch (Throwable e) {
            started.completeExceptionally(e);
            onStartFailure.run();
            failQueued(e);
            return;
        }
        int max = config.writeBatchSize();
        long delayNanos = config.maxBatchDelay().toNanos();
        List<StoreOp.Write<?>> batch = new ArrayList<>(max);
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(queue.take());
                queue.drainTo(batch, max - batch.size());
                if (delayNanos > 0 && batch.size() < max) {
                    long until = System.nanoTime() + delayNanos;
                    long left;
                    while (batch.size() < max && (left = until - System.nanoTime()) > 0) {
                        StoreOp.Write<?> next = queue.poll(left, TimeUnit.NANOSECONDS);
                        if (next == null) {
                            break;
                        }
                        batch.add(next);
                        queue.drainTo(batch, max - batch.size());
                    }
                }
            } catch (InterruptedException e) {
                stop = true;
            }
            if (batch.remove(POISON)) {
                stop = true; // nothing is queued after the poison
            }
            try {
                runBatch(batch);
            } catch (Throwable e) {
                log.error("store {}: writer failed on a batch of {}", where, batch.size(), e);
                for (StoreOp.Write<?> op : batch) {
                    completer.fail(op, new StoreException("Store write failed: " + e, e));
                    op.settled.complete(null);
                }
            }
            batch.clear();
        }
    }

    /** Connects (direct connections, {@code connectionAttempts} times), migrates, then starts the pool. */
    private int startUp() throws InterruptedException {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= config.connectionAttempts(); attempt++) {
            try (Handle h = connections.openDirect()) {
                int from = Schema.migrate(h, dialect, schemaVersion, where);
                if (dialect == Dialect.H2) {
                    setH2WriteDelay(h);
                }
                connections.startPool();
                return from;
            } catch (StoreException e) {
                throw e; // schema refused: retrying will not help
            } catch (RuntimeException e) {
                last = e;
                log.warn("store {}: connection attempt {}/{} failed: {}", where, attempt, config.connectionAttempts(),
                        Connections.rootMessage(e));
                if (attempt < config.connectionAttempts()) {
                    Thread.sleep(config.connectionRetryDelay().toMillis());
                }
            }
        }
        throw new StoreException("Cannot connect to the store database " + where + " after "
                + config.connectionAttempts() + " attempt(s): " + Connections.rootMessage(last), last);
    }

    private void setH2WriteDelay(Handle h) {
        try {
            // an acknowledged commit must be in the file even if the process is killed right after
            // (H2 otherwise writes up to 500 ms later); a persistent database setting
            h.execute("SET WRITE_DELAY 0");
        } catch (RuntimeException e) {
            log.warn("store {}: cannot SET WRITE_DELAY 0 (needs an admin user): acknowledged writes"
                    + " may be lost if the process is killed", where);
        }
    }

    private void failQueued(Throwable e) {
        List<StoreOp.Write<?>> left = new ArrayList<>();
        queue.drainTo(left);
        for (StoreOp.Write<?> op : left) {
            completer.fail(op, new StoreException("Store failed to start: " + e.getMessage(), e));
            op.settled.complete(null);
        }
    }

    private void runBatch(List<StoreOp.Write<?>> batch) throws InterruptedException {
        List<StoreOp.Write<?>> live = new ArrayList<>(batch.size());
        for (StoreOp.Write<?> op : batch) {
            if (op.action != null && !op.isFinished()) {
                live.add(op);
            }
        }
        try {
            if (!live.isEmpty()) {
                execute(live, true);
            }
        } finally {
            for (StoreOp.Write<?> op : batch) {
                op.settled.complete(null);
            }
        }
        // callers learn the outcome only now, after COMMIT, in issue order
        List<StoreOp.Write<?>> done = List.copyOf(batch); // the writer reuses its batch list
        completer.dispatch(() -> done.forEach(completer::completeRecorded));
    }

    /** Runs the ops in one transaction; records each op's value or failure. */
    private void execute(List<StoreOp.Write<?>> ops, boolean isolateOnError) throws InterruptedException {
        while (true) {
            Handle h = null;
            boolean committing = false;
            try {
                h = connections.open();
                h.begin();
                for (StoreOp.Write<?> op : ops) {
                    apply(h, op);
                }
                committing = true;
                h.commit();
                Connections.release(h);
                commits.incrementAndGet();
                committedWrites.addAndGet(ops.size());
                largestBatch.accumulateAndGet(ops.size(), Math::max);
                return;
            } catch (RuntimeException e) {
                boolean connectionLost = Connections.isConnectionProblem(h, e);
                if (committing || connectionLost) {
                    connections.discard(h);
                } else {
                    Connections.release(h); // rolls back
                }
                if (committing) {
                    failAll(ops, "Store commit failed (outcome unknown)", e);
                    return;
                }
                if (connectionLost) {
                    ops.removeIf(StoreOp::isFinished);
                    if (ops.isEmpty()) {
                        return;
                    }
                    if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_PAUSE_MS) < earliestDeadline(ops)) {
                        log.debug("store {}: connection lost ({}), retrying {} writes", where,
                                Connections.rootMessage(e), ops.size());
                        Thread.sleep(RETRY_PAUSE_MS);
                        continue;
                    }
                    failAll(ops, "Store database " + where + " unavailable", e);
                    return;
                }
                if (isolateOnError && ops.size() > 1) {
                    // one bad write must not fail the others: one transaction per write
                    for (StoreOp.Write<?> op : ops) {
                        if (!op.isFinished()) {
                            execute(new ArrayList<>(List.of(op)), false);
                        }
                    }
                    return;
                }
                failAll(ops, "Store write failed", e);
                return;
            }
        }
    }

    private static <T> void apply(Handle h, StoreOp.Write<T> op) {
        op.value = null;
        op.failure = null;
        try {
            op.value = op.action.apply(h);
        } catch (CometException e) {
            op.failure = e; // refused before writing anything (e.g. queue full)
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void failAll(List<StoreOp.Write<?>> ops, String what, RuntimeException e) {
        StoreException se = new StoreException(what + ": " + Connections.rootMessage(e), e);
        for (StoreOp.Write<?> op : ops) {
            op.value = null;
            op.failure = se;
        }
    }

    static long earliestDeadline(List<? extends StoreOp<?>> ops) {
        long d = Long.MAX_VALUE;
        for (StoreOp<?> op : ops) {
            d = Math.min(d, op.deadlineNanos);
        }
        return d;
    }
}

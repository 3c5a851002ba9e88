package io.comet.core.store.jdbc;

import io.comet.core.StoreException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Deadlines and completions of store operations: a timer fails an operation at its deadline,
 * and callers' futures complete on {@code comet-store-callback-N} threads so their
 * continuations never hold up the writer or a reader.
 */
final class OpCompleter {

    private final Duration operationTimeout;
    private final String where;
    private final ScheduledThreadPoolExecutor timer;
    private final ThreadPoolExecutor callbacks;

    OpCompleter(Duration operationTimeout, String where) {
        this.operationTimeout = operationTimeout;
        this.where = where;
        this.timer = new ScheduledThreadPoolExecutor(1, StoreThread.plain("timer", false));
        timer.setRemoveOnCancelPolicy(true);
        this.callbacks = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                StoreThread.plain("callback", true));
    }

    /** The deadline of an operation issued now. */
    long deadlineFromNow() {
        return System.nanoTime() + operationTimeout.toNanos();
    }

    /** Fails {@code op} with a timeout when it is not finished by the operation timeout. */
    void armTimeout(StoreOp<?> op) {
        long ms = operationTimeout.toMillis();
        try {
            op.timeout = timer.schedule(() -> fail(op, new StoreException("Store operation " + op.name
                    + " timed out after " + ms + " ms (database " + where + " slow or unreachable)", null)),
                    ms, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // timer stopped at close: the op completes or fails on its own
        }
    }

    <T> void succeed(StoreOp<T> op, T value) {
        if (op.finished.compareAndSet(false, true)) {
            cancelTimeout(op);
            dispatch(() -> op.result.complete(value));
        }
    }

    void fail(StoreOp<?> op, RuntimeException e) {
        if (op.finished.compareAndSet(false, true)) {
            cancelTimeout(op);
            dispatch(() -> op.result.completeExceptionally(e));
        }
    }

    /** Tells the caller the outcome the writer recorded in {@code op} (on the current thread). */
    <T> void completeRecorded(StoreOp<T> op) {
        if (!op.finished.compareAndSet(false, true)) {
            return;
        }
        cancelTimeout(op);
        if (op.failure != null) {
            op.result.completeExceptionally(op.failure);
        } else {
            op.result.complete(op.value);
        }
    }

    private static void cancelTimeout(StoreOp<?> op) {
        ScheduledFuture<?> t = op.timeout;
        if (t != null) {
            t.cancel(false);
        }
    }

    /** Runs {@code r} on a callback thread (on the current one after close). */
    void dispatch(Runnable r) {
        try {
            callbacks.execute(r);
        } catch (RejectedExecutionException e) {
            r.run();
        }
    }

    /** Stops the timer and lets the callback threads end. */
    void shutdown() {
        timer.shutdownNow();
        callbacks.shutdown();
    }
}

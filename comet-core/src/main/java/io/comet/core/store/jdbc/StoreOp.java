package io.comet.core.store.jdbc;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Handle;

/**
 * One store operation: its SQL ({@link Action}), its deadline and its caller's future. The
 * result is decided once ({@link #finished}): by the writer or a reader, or by the deadline.
 */
abstract class StoreOp<T> {

    /** The SQL of one operation, run on a store thread; may throw a {@link io.comet.core.CometException} before writing. */
    @FunctionalInterface
    interface Action<T> {
        T apply(Handle h) throws Exception;
    }

    final String name;
    final Action<T> action;
    final long deadlineNanos;
    final CompletableFuture<T> result = new CompletableFuture<>();
    final AtomicBoolean finished = new AtomicBoolean();
    volatile ScheduledFuture<?> timeout;
    /** Outcome of a write inside its transaction, told to the caller after COMMIT (writer thread only). */
    T value;
    RuntimeException failure;

    StoreOp(String name, Action<T> action, long deadlineNanos) {
        this.name = name;
        this.action = action;
        this.deadlineNanos = deadlineNanos;
    }

    /** True once a result was decided (completed, failed or timed out). */
    boolean isFinished() {
        return finished.get();
    }

    /** A write: runs on the writer inside a group-commit transaction; {@code action == null} is a marker (flush, close). */
    static final class Write<T> extends StoreOp<T> {
        /** Completes when the op's transaction committed or failed (before callers are told). */
        final CompletableFuture<Void> settled = new CompletableFuture<>();

        Write(String name, Action<T> action, long deadlineNanos) {
            super(name, action, deadlineNanos);
        }
    }

    /** A read: runs on a reader after every earlier write settled. */
    static final class Read<T> extends StoreOp<T> {
        Read(String name, Action<T> action, long deadlineNanos) {
            super(name, action, deadlineNanos);
        }
    }
}

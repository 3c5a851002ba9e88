package io.comet.core.store.jdbc;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread allowed to run JDBC: the writer, the readers and the connection pool's own threads.
 * {@link #check()} refuses JDBC anywhere else (a Netty event loop, a CometQL connection, a
 * caller's continuation).
 */
final class StoreThread extends Thread {

    StoreThread(Runnable r, String name) {
        super(r, name);
        setDaemon(true);
    }

    /** Fails unless the current thread is a store thread. */
    static void check() {
        if (!(Thread.currentThread() instanceof StoreThread)) {
            throw new IllegalStateException("JDBC call on thread " + Thread.currentThread().getName()
                    + ": store I/O must run on the store's " + JdbcStore.THREAD_PREFIX + "* threads");
        }
    }

    /** Store threads named {@code comet-store-<role>-1, -2, …}. */
    static ThreadFactory factory(String role) {
        AtomicInteger ids = new AtomicInteger();
        return r -> new StoreThread(r, JdbcStore.THREAD_PREFIX + role + "-" + ids.incrementAndGet());
    }

    /** Plain daemon threads (no JDBC) named {@code comet-store-<role>[-N]}. */
    static ThreadFactory plain(String role, boolean numbered) {
        AtomicInteger ids = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, JdbcStore.THREAD_PREFIX + role + (numbered ? "-" + ids.incrementAndGet() : ""));
            t.setDaemon(true);
            return t;
        };
    }
}

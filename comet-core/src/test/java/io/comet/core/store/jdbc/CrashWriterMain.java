package io.comet.core.store.jdbc;

import io.comet.core.store.HistoryEntry;
import io.comet.core.store.QueuedMessage;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * Child process of {@link StoreCrashTest}: writes an endless stream (bounded) to a JdbcStore and
 * prints each acknowledgement only after its future completed, until it is SIGKILLed.
 * {@code M i}: queued message {@code m<i>} for user 7 is acknowledged; {@code A i}: auth hash of
 * user 1000+i; {@code H i}: history entry {@code h<i>} (offset i+1 in epoch {@value #EPOCH}) of pipe
 * {@code trust_crash}; {@code F i}: flush() completed after the last-seen writes up to i.
 *
 * <p>Arguments: jdbcUrl user password.
 */
public final class CrashWriterMain {

    static final String EPOCH = "crash-epoch";

    private CrashWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, "UTF-8");
        JdbcStore store = JdbcStore.open(JdbcStoreConfig.builder()
                .jdbcUrl(args[0]).user(args[1]).password(args[2])
                .operationTimeout(Duration.ofSeconds(30))
                .build());
        out.println("ready");
        Semaphore inFlight = new Semaphore(64);
        long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < 2_000_000; i++) {
            int n = i;
            inFlight.acquire(3);
            store.enqueue(1, 7, new QueuedMessage(id(n), now, "e", "message " + n), Integer.MAX_VALUE)
                    .whenComplete((v, e) -> {
                        inFlight.release();
                        synchronized (out) {
                            out.println(e == null ? "M " + n : "E " + n + " " + e);
                        }
                    });
            store.putAuthHash(1, 1000 + n, "hash" + n)
                    .whenComplete((v, e) -> {
                        inFlight.release();
                        synchronized (out) {
                            out.println(e == null ? "A " + n : "E " + n + " " + e);
                        }
                    });
            store.appendHistory(1, EPOCH, new HistoryEntry("h" + n, now, "trust_crash", "e", "history " + n, 0, n + 1), 0)
                    .whenComplete((v, e) -> {
                        inFlight.release();
                        synchronized (out) {
                            out.println(e == null ? "H " + n : "E " + n + " " + e);
                        }
                    });
            store.putLastSeen(1, 5000 + n % 50, n);
            if (n % 100 == 99) {
                store.flush().whenComplete((v, e) -> {
                    synchronized (out) {
                        out.println(e == null ? "F " + n : "E flush " + e);
                    }
                });
            }
        }
        store.close();
    }

    static String id(int n) {
        return String.format("m%08d", n);
    }
}

package io.comet.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.comet.core.store.QueuedMessage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Store I/O never runs on the caller's thread (a Netty event loop, a CometQL connection): JDBC
 * runs on the store's {@code comet-store-*} threads, and a guard refuses JDBC anywhere else.
 */
class StoreThreadsTest {

    @TempDir
    Path dir;

    @Test
    void jdbcRunsOnStoreThreadsNeverOnTheCallingThread() throws Exception {
        JdbcStoreConfig config = TestDatabases.h2(dir);
        try (JdbcStore store = JdbcStore.open(config)) {
            // H2 runs triggers on the thread that executes the statement: they show where JDBC ran
            try (Connection c = TestDatabases.connect(config); Statement s = c.createStatement()) {
                String trigger = ThreadRecordingTrigger.class.getName();
                s.execute("CREATE TRIGGER rec_queue AFTER INSERT ON comet_users_messages FOR EACH ROW CALL '" + trigger + "'");
                s.execute("CREATE TRIGGER rec_auth_write AFTER INSERT ON comet_users_auth FOR EACH ROW CALL '" + trigger + "'");
                s.execute("CREATE TRIGGER rec_auth_read BEFORE SELECT ON comet_users_auth CALL '" + trigger + "'");
            }
            ThreadRecordingTrigger.THREADS.clear();
            List<CompletableFuture<?>> futures = new ArrayList<>();
            String[] callerName = new String[1];
            // a thread named like a Netty event loop calls the store and never blocks on it
            Thread eventLoop = new Thread(() -> {
                callerName[0] = Thread.currentThread().getName();
                for (int i = 0; i < 20; i++) {
                    futures.add(store.enqueue(1, 1, new QueuedMessage("m" + i, 1, "e", "t"), 100));
                    futures.add(store.putAuthHash(1, i, "h"));
                    futures.add(store.authHash(1, i));
                }
            }, "nioEventLoopGroup-3-1");
            eventLoop.start();
            eventLoop.join(10_000);
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);

            assertThat(ThreadRecordingTrigger.THREADS)
                    .isNotEmpty()
                    .doesNotContain(callerName[0], Thread.currentThread().getName())
                    .allSatisfy(name -> assertThat(name).startsWith(JdbcStore.THREAD_PREFIX));
            assertThat(ThreadRecordingTrigger.THREADS).contains("comet-store-writer");
            assertThat(ThreadRecordingTrigger.THREADS).anySatisfy(name -> assertThat(name).startsWith("comet-store-reader-"));
        }
    }

    @Test
    void callersContinuationsDoNotRunOnTheWriterThread() throws Exception {
        try (JdbcStore store = JdbcStore.open(TestDatabases.h2(dir))) {
            List<CompletableFuture<String>> where = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                where.add(store.putLastSeen(1, i, i).thenApply(v -> Thread.currentThread().getName()));
            }
            for (CompletableFuture<String> f : where) {
                assertThat(f.get(20, TimeUnit.SECONDS)).isNotEqualTo("comet-store-writer");
            }
        }
    }

    @Test
    void theGuardRefusesJdbcOffTheStoreThreads() {
        assertThatThrownBy(JdbcStore::checkIoThread)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(Thread.currentThread().getName())
                .hasMessageContaining("comet-store-");
    }
}

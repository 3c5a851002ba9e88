package io.comet.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.core.store.HistoryEntry;
import io.comet.core.store.QueuedMessage;
import io.comet.core.store.StreamPosition;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety at the store level: a child JVM ({@link CrashWriterMain}) writes queued messages,
 * auth hashes, history appends and last-seen times and prints each acknowledgement; the test SIGKILLs it
 * mid-stream, reopens the database and finds every acknowledged write exactly once, in order.
 */
abstract class StoreCrashTest {

    static final int ACKS_BEFORE_KILL = 600;

    @TempDir
    Path tmp;

    /** Settings of an empty database the child and the test both open. */
    abstract JdbcStoreConfig emptyDatabase() throws Exception;

    @Test
    void everyAcknowledgedWriteSurvivesSigkill() throws Exception {
        JdbcStoreConfig config = emptyDatabase();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path err = tmp.resolve("child.err");
        Process child = new ProcessBuilder(java, "-cp", cp, CrashWriterMain.class.getName(),
                config.jdbcUrl(), config.user(), config.password())
                .redirectError(err.toFile())
                .start();
        List<String> lines = new ArrayList<>();
        CountDownLatch enough = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                int acked = 0;
                boolean flushed = false;
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                    acked += line.startsWith("M ") ? 1 : 0;
                    flushed |= line.startsWith("F ");
                    if (acked >= ACKS_BEFORE_KILL && flushed) {
                        enough.countDown();
                    }
                }
            } catch (java.io.IOException e) {
                // pipe closed by the kill
            }
        }, "crash-child-stdout");
        reader.start();
        boolean reached;
        try {
            reached = enough.await(90, TimeUnit.SECONDS);
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close(), no flush()
        }
        assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
        reader.join(20_000);
        assertThat(reached).as("child acknowledged %d writes before the kill; stderr:%n%s", ACKS_BEFORE_KILL,
                Files.exists(err) ? Files.readString(err) : "").isTrue();
        assertThat(child.exitValue()).isEqualTo(137); // 128 + SIGKILL

        List<Integer> ackedMessages = new ArrayList<>();
        List<Integer> ackedHashes = new ArrayList<>();
        List<Integer> ackedHistory = new ArrayList<>();
        int lastFlush = -1;
        synchronized (lines) {
            for (String l : lines) {
                assertThat(l).doesNotStartWith("E ");
                if (l.startsWith("M ")) {
                    ackedMessages.add(Integer.parseInt(l.substring(2)));
                } else if (l.startsWith("A ")) {
                    ackedHashes.add(Integer.parseInt(l.substring(2)));
                } else if (l.startsWith("H ")) {
                    ackedHistory.add(Integer.parseInt(l.substring(2)));
                } else if (l.startsWith("F ")) {
                    lastFlush = Math.max(lastFlush, Integer.parseInt(l.substring(2)));
                }
            }
        }
        int maxAcked = ackedMessages.stream().mapToInt(Integer::intValue).max().orElseThrow();
        int maxHistory = ackedHistory.stream().mapToInt(Integer::intValue).max().orElseThrow();
        System.out.printf("%s: killed after %d acknowledged messages (last %d), %d auth hashes, %d history entries"
                        + " (last %d), last flush %d%n", getClass().getSimpleName(), ackedMessages.size(), maxAcked,
                ackedHashes.size(), ackedHistory.size(), maxHistory, lastFlush);

        try (JdbcStore store = JdbcStore.open(config)) {
            List<String> ids = store.queued(1, 7, -1).get(30, TimeUnit.SECONDS).stream()
                    .map(QueuedMessage::id).toList();
            // FIFO: what is stored is m0, m1, ... without gap or duplicate, and covers every acknowledged id
            assertThat(ids.size()).isGreaterThan(maxAcked);
            for (int i = 0; i < ids.size(); i++) {
                assertThat(ids.get(i)).isEqualTo(CrashWriterMain.id(i));
            }
            for (int n : ackedMessages) {
                assertThat(ids).contains(CrashWriterMain.id(n));
            }
            for (int n : ackedHashes) {
                assertThat(store.authHash(1, 1000 + n).get(30, TimeUnit.SECONDS)).as("auth hash of user %d", 1000 + n)
                        .contains("hash" + n);
            }
            // history: h0, h1, ... with offsets 1, 2, ..., covering every acknowledged append, and the
            // stream (written in the same transaction) at the last stored offset
            List<HistoryEntry> history = store.history(1, "trust_crash", -1).get(30, TimeUnit.SECONDS);
            assertThat(history.size()).isGreaterThan(maxHistory);
            for (int i = 0; i < history.size(); i++) {
                assertThat(history.get(i).id()).isEqualTo("h" + i);
                assertThat(history.get(i).offset()).isEqualTo(i + 1L);
            }
            assertThat(store.stream(1, "trust_crash").get(30, TimeUnit.SECONDS))
                    .contains(new StreamPosition(CrashWriterMain.EPOCH, history.size()));
            for (int j = 0; j < 50; j++) {
                int expectedAtLeast = lastFlush - ((lastFlush - j) % 50 + 50) % 50; // last i <= lastFlush with i % 50 == j
                if (expectedAtLeast >= 0) {
                    assertThat(store.lastSeen(1, 5000 + j).get(30, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(expectedAtLeast);
                }
            }
        }
    }
}

package io.comet.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.core.engine.CometEngine;
import io.comet.core.ConnectRequest;
import io.comet.core.engine.InProcessClient;
import io.comet.core.Message;
import io.comet.core.store.HistoryEntry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine on a JdbcStore survives a restart: queued private messages are delivered to the
 * user's next connection in order and once, auth hashes still authorize, pipe settings and
 * history and last-seen times are back.
 */
class EngineOnJdbcStoreTest {

    @TempDir
    Path dir;

    private CometEngine engine() {
        return CometEngine.builder().store(JdbcStore.open(TestDatabases.h2(dir))).maintenanceIntervalSeconds(0).build();
    }

    @Test
    void stateSurvivesAnEngineRestart() throws Exception {
        try (CometEngine first = engine()) {
            first.accounts().putAuthHash(0, 5, "secret5").get(10, TimeUnit.SECONDS);
            first.accounts().putAuthHash(0, 6, "secret6").get(10, TimeUnit.SECONDS);
            assertThat(first.history().setLength(0, "news", 3).get(10, TimeUnit.SECONDS)).isEqualTo(3);
            InProcessClient six = first.connectInProcess(ConnectRequest.user(0, 6, "secret6", "tab-6"));
            six.disconnect(); // last-seen of user 6 is written (lazily)
            for (int i = 1; i <= 3; i++) {
                assertThat(first.sendPrivate(0, 5, "evt", "q" + i).get(10, TimeUnit.SECONDS)).isZero(); // queued, durable
            }
            for (int i = 1; i <= 5; i++) {
                first.publish(0, "news", "evt", "p" + i).join();
            }
        } // close flushes and closes the store

        try (CometEngine second = engine()) {
            assertThat(second.lastSeen(0, 6).get(10, TimeUnit.SECONDS)).isGreaterThan(0L);
            assertThat(second.history().oldest(0, "news").get(10, TimeUnit.SECONDS)).extracting(HistoryEntry::text)
                    .containsExactly("p3", "p4", "p5");
            second.publish(0, "news", "evt", "p6").join(); // the history length came back from the store
            assertThat(second.history().oldest(0, "news").get(10, TimeUnit.SECONDS)).extracting(HistoryEntry::text)
                    .containsExactly("p4", "p5", "p6");

            InProcessClient five = second.connectInProcess(ConnectRequest.user(0, 5, "secret5", "tab-5"));
            assertThat(five.awaitCount("msg", 3, Duration.ofSeconds(10)))
                    .allMatch(Message::fromQueue)
                    .extracting(Message::text).containsExactly("q1", "q2", "q3");
            assertThat(second.accounts().queuedMessages(0, 5).get(10, TimeUnit.SECONDS)).isEmpty();
            five.disconnect();
            InProcessClient again = second.connectInProcess(ConnectRequest.user(0, 5, "secret5", "tab-5b"));
            assertThat(again.messages("msg")).isEmpty(); // delivered once
        }
    }
}

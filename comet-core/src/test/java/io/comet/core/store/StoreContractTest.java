package io.comet.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.comet.core.ErrorCode;
import io.comet.core.LimitExceededException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The semantics every {@link Store} must have, with {@link MemoryStore} as the reference: run
 * against MemoryStore, JdbcStore on H2 and JdbcStore on MariaDB. Subclasses open an empty store
 * and, when durable, reopen it over the same data. The history and stream tests are inherited
 * from {@link HistoryContractTest}.
 */
public abstract class StoreContractTest extends HistoryContractTest {

    // ---- users_auth

    @Test
    void authHashIsUpsertedDeletedAndKeyedByNamespaceAndUser() {
        assertThat(await(store.authHash(1, 10))).isEmpty();
        await(store.putAuthHash(1, 10, "hash1"));
        await(store.putAuthHash(2, 10, "other"));
        await(store.putAuthHash(1, 11, "eleven"));
        assertThat(await(store.authHash(1, 10))).contains("hash1");
        await(store.putAuthHash(1, 10, "hash2"));
        assertThat(await(store.authHash(1, 10))).contains("hash2");
        assertThat(await(store.authHash(2, 10))).contains("other");
        assertThat(await(store.authHash(1, 11))).contains("eleven");
        await(store.deleteAuthHash(1, 10));
        await(store.deleteAuthHash(1, 99)); // absent: no error
        assertThat(await(store.authHash(1, 10))).isEmpty();
        assertThat(await(store.authHash(2, 10))).contains("other");
    }

    @Test
    void emptyAuthHashIsStoredAsEmptyNotAbsent() {
        await(store.putAuthHash(0, Long.MAX_VALUE, ""));
        assertThat(await(store.authHash(0, Long.MAX_VALUE))).contains("");
    }

    // ---- users_time

    @Test
    void lastSeenIsMinusOneUntilStoredThenOverwritten() {
        assertThat(await(store.lastSeen(1, 5))).isEqualTo(-1L);
        await(store.putLastSeen(1, 5, 1_438_245_468L));
        assertThat(await(store.lastSeen(1, 5))).isEqualTo(1_438_245_468L);
        await(store.putLastSeen(1, 5, 1_500_000_000L));
        assertThat(await(store.lastSeen(1, 5))).isEqualTo(1_500_000_000L);
        assertThat(await(store.lastSeen(2, 5))).isEqualTo(-1L);
    }

    // ---- users_messages

    @Test
    void queuedMessagesComeOldestFirstInEnqueueOrderWithinOneSecond() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String id = "m-" + (char) ('z' - (i % 26)) + i; // ids not sorted: order must come from enqueue order
            expected.add(id);
            await(store.enqueue(1, 7, q(id, 1_700_000_000L), 100));
        }
        assertThat(ids(await(store.queued(1, 7, 100)))).containsExactlyElementsOf(expected);
        assertThat(ids(await(store.queued(1, 7, 10)))).containsExactlyElementsOf(expected.subList(0, 10));
        assertThat(await(store.queued(1, 7, 0))).isEmpty();
        assertThat(ids(await(store.queued(1, 7, -1)))).containsExactlyElementsOf(expected);
        assertThat(await(store.queued(2, 7, 100))).isEmpty();
        assertThat(await(store.queued(1, 8, 100))).isEmpty();
    }

    @Test
    void queuedMessageFieldsRoundTrip() {
        String text = "{\"text\":\"it's \\\"quoted\\\" \u00e9\u4e2d \ud83d\ude00\"}\nline2\\";
        QueuedMessage m = new QueuedMessage("9b2c2d4e-8c6f-4d5a-9a51-1e2f3a4b5c6d", 1_700_000_123L, "", text);
        await(store.enqueue(3, 0, m, 10)); // user id 0 is accepted by users_messages
        assertThat(await(store.queued(3, 0, 10))).containsExactly(m);
    }

    @Test
    void enqueueBeyondMaxPerUserFailsWithLimitExceededAndLeavesTheQueueAsItWas() {
        for (int i = 0; i < 3; i++) {
            await(store.enqueue(1, 1, q("a" + i, 100 + i), 3));
        }
        assertThatThrownBy(() -> await(store.enqueue(1, 1, q("a3", 103), 3)))
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOfSatisfying(LimitExceededException.class, e -> {
                    assertThat(e.limit()).isEqualTo("maxQueuedMessagesPerUser");
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.OVERFLOW);
                });
        assertThat(ids(await(store.queued(1, 1, 10)))).containsExactly("a0", "a1", "a2");
        await(store.enqueue(1, 2, q("b0", 100), 3)); // another user has its own limit
        assertThatThrownBy(() -> await(store.enqueue(1, 3, q("c0", 100), 0)))
                .cause().isInstanceOf(LimitExceededException.class);
    }

    @Test
    void concurrentEnqueuesRespectTheLimitExactly() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Void>> all = Collections.synchronizedList(new ArrayList<>());
            List<CompletableFuture<?>> submitted = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                int n = i;
                submitted.add(CompletableFuture.runAsync(() -> all.add(store.enqueue(1, 42, q("c" + n, 1), 50)), pool));
            }
            CompletableFuture.allOf(submitted.toArray(CompletableFuture[]::new)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            int ok = 0;
            int refused = 0;
            for (CompletableFuture<Void> f : all) {
                try {
                    await(f);
                    ok++;
                } catch (CompletionException e) {
                    assertThat(e.getCause()).isInstanceOf(LimitExceededException.class);
                    refused++;
                }
            }
            assertThat(ok).isEqualTo(50);
            assertThat(refused).isEqualTo(30);
            assertThat(await(store.queued(1, 42, -1))).hasSize(50);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void deleteQueuedRemovesOnlyTheGivenIdsOfThatUser() {
        for (String id : List.of("x1", "x2", "x3", "x4")) {
            await(store.enqueue(1, 1, q(id, 1), 10));
        }
        await(store.enqueue(1, 2, q("x2", 1), 10)); // same id, other user
        await(store.deleteQueued(1, 1, List.of("x2", "x4", "unknown")));
        await(store.deleteQueued(1, 1, List.of()));
        assertThat(ids(await(store.queued(1, 1, 10)))).containsExactly("x1", "x3");
        assertThat(ids(await(store.queued(1, 2, 10)))).containsExactly("x2");
        await(store.deleteQueued(1, 1, List.of("x1", "x3")));
        assertThat(await(store.queued(1, 1, 10))).isEmpty();
        await(store.enqueue(1, 1, q("x5", 2), 10)); // a drained queue accepts again
        assertThat(ids(await(store.queued(1, 1, 10)))).containsExactly("x5");
    }

    @Test
    void deleteQueuedAcceptsManyIds() {
        List<String> all = IntStream.range(0, 700).mapToObj(i -> "id" + i).collect(Collectors.toList());
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        for (String id : all) {
            fs.add(store.enqueue(1, 1, q(id, 1), 1000));
        }
        fs.forEach(StoreContractTest::await);
        await(store.deleteQueued(1, 1, all.subList(0, 650)));
        assertThat(ids(await(store.queued(1, 1, -1)))).containsExactlyElementsOf(all.subList(650, 700));
    }

    @Test
    void clearQueueRemovesTheWholeQueueOfOneUser() {
        await(store.enqueue(1, 1, q("a", 1), 10));
        await(store.enqueue(1, 1, q("b", 1), 10));
        await(store.enqueue(1, 2, q("c", 1), 10));
        await(store.clearQueue(1, 1));
        await(store.clearQueue(1, 99));
        assertThat(await(store.queued(1, 1, 10))).isEmpty();
        assertThat(ids(await(store.queued(1, 2, 10)))).containsExactly("c");
    }

    // ---- pipes_settings

    @Test
    void pipeSettingsAreUpsertedInFirstInsertionOrder() {
        assertThat(await(store.pipeSettings())).isEmpty();
        await(store.putPipeSetting(1, "p10", 10));
        await(store.putPipeSetting(1, "alpha", 3));
        await(store.putPipeSetting(2, "p10", 5));
        await(store.putPipeSetting(1, "p10", 20)); // update keeps the position
        await(store.putPipeSetting(1, "alpha", 3)); // same value again
        assertThat(await(store.pipeSettings())).containsExactly(
                new PipeSetting(1, "p10", 20), new PipeSetting(1, "alpha", 3), new PipeSetting(2, "p10", 5));
    }

    @Test
    void pipeNamesAreCaseSensitive() {
        await(store.putPipeSetting(1, "Chat", 1));
        await(store.putPipeSetting(1, "chat", 2));
        await(append(1, h("h1", "Chat", 1), 0));
        assertThat(await(store.pipeSettings())).containsExactly(new PipeSetting(1, "Chat", 1), new PipeSetting(1, "chat", 2));
        assertThat(await(store.history(1, "chat", 10))).isEmpty();
        assertThat(hids(await(store.history(1, "Chat", 10)))).containsExactly("h1");
    }

    @Test
    void deletePipeSettingRemovesTheSettingAndThePipesHistory() {
        await(store.putPipeSetting(1, "p1", 10));
        await(store.putPipeSetting(1, "p2", 10));
        await(append(1, h("a", "p1", 1), 10));
        await(append(1, h("b", "p2", 1), 10));
        await(append(2, h("c", "p1", 1), 10));
        await(store.deletePipeSetting(1, "p1"));
        await(store.deletePipeSetting(1, "never-set"));
        assertThat(await(store.pipeSettings())).containsExactly(new PipeSetting(1, "p2", 10));
        assertThat(await(store.history(1, "p1", 10))).isEmpty();
        assertThat(hids(await(store.history(1, "p2", 10)))).containsExactly("b");
        assertThat(hids(await(store.history(2, "p1", 10)))).containsExactly("c");
    }

    // ---- users_data

    @Test
    void userDataIsUpsertedAndDeleted() {
        assertThat(await(store.userData(1, 3))).isEmpty();
        await(store.putUserData(1, 3, "{\"name\":\"Ann\"}"));
        assertThat(await(store.userData(1, 3))).contains("{\"name\":\"Ann\"}");
        String big = "\u00e9".repeat(70_000) + "\ud83d\ude00"; // beyond a 64 KB TEXT column
        await(store.putUserData(1, 3, big));
        assertThat(await(store.userData(1, 3))).contains(big);
        assertThat(await(store.userData(2, 3))).isEmpty();
        await(store.deleteUserData(1, 3));
        await(store.deleteUserData(1, 4));
        assertThat(await(store.userData(1, 3))).isEmpty();
    }

    // ---- revoked_tokens

    @Test
    void revokedTokensAreASetPerNamespaceInRevocationOrder() {
        String longToken = "eyJhbGciOiJIUzI1NiJ9." + "x".repeat(2000) + ".sig";
        assertThat(await(store.isRevoked(1, "t1"))).isFalse();
        await(store.revoke(1, "t1"));
        await(store.revoke(1, longToken));
        await(store.revoke(1, "T1"));
        await(store.revoke(1, "t1")); // again: still once, position kept
        await(store.revoke(2, "t2"));
        assertThat(await(store.isRevoked(1, "t1"))).isTrue();
        assertThat(await(store.isRevoked(1, longToken))).isTrue();
        assertThat(await(store.isRevoked(2, "t1"))).isFalse();
        assertThat(await(store.revokedTokens(1))).containsExactly("t1", longToken, "T1");
        assertThat(await(store.revokedTokens(3))).isEmpty();
        await(store.unrevoke(1, "t1"));
        await(store.unrevoke(1, "never"));
        assertThat(await(store.isRevoked(1, "t1"))).isFalse();
        assertThat(await(store.revokedTokens(1))).containsExactly(longToken, "T1");
    }

    // ---- maintenance

    @Test
    void purgeDeletesOldQueuedMessagesAndOldTrustHistoryOnly() {
        await(store.enqueue(1, 1, q("old", 100), 10));
        await(store.enqueue(1, 1, q("new", 200), 10));
        await(store.enqueue(2, 5, q("old2", 150), 10));
        await(append(1, h("t-old", "trust_a", 100), 0));
        await(append(1, h("t-new", "trust_a", 200), 0));
        await(append(1, h("n-old", "normal", 100), 0));
        await(append(1, h("x-old", "trustX", 100), 0)); // not a trust_ pipe
        await(store.purge(200, 200));
        assertThat(ids(await(store.queued(1, 1, 10)))).containsExactly("new");
        assertThat(await(store.queued(2, 5, 10))).isEmpty();
        assertThat(hids(await(store.history(1, "trust_a", 10)))).containsExactly("t-new");
        assertThat(hids(await(store.history(1, "normal", 10)))).containsExactly("n-old");
        assertThat(hids(await(store.history(1, "trustX", 10)))).containsExactly("x-old");
    }

    @Test
    void purgeWithMinValueSkips() {
        await(store.enqueue(1, 1, q("old", 100), 10));
        await(append(1, h("t-old", "trust_a", 100), 0));
        await(store.purge(Long.MIN_VALUE, Long.MIN_VALUE));
        assertThat(await(store.queued(1, 1, 10))).hasSize(1);
        assertThat(await(store.history(1, "trust_a", 10))).hasSize(1);
        await(store.purge(Long.MIN_VALUE, 101));
        assertThat(await(store.queued(1, 1, 10))).hasSize(1);
        assertThat(await(store.history(1, "trust_a", 10))).isEmpty();
    }

    @Test
    void readsObserveEveryWriteIssuedBeforeThem() {
        // nothing awaited between the writes and the reads
        store.putAuthHash(1, 1, "h");
        store.putLastSeen(1, 1, 123);
        store.enqueue(1, 1, q("q1", 1), 10);
        store.putPipeSetting(1, "p", 4);
        append(1, h("e1", "p", 1), 4);
        store.putUserData(1, 1, "d");
        store.revoke(1, "tok");
        CompletableFuture<Optional<String>> auth = store.authHash(1, 1);
        CompletableFuture<Long> seen = store.lastSeen(1, 1);
        CompletableFuture<List<QueuedMessage>> queued = store.queued(1, 1, 10);
        CompletableFuture<List<PipeSetting>> settings = store.pipeSettings();
        CompletableFuture<List<HistoryEntry>> history = store.history(1, "p", 10);
        CompletableFuture<Optional<String>> data = store.userData(1, 1);
        CompletableFuture<Boolean> revoked = store.isRevoked(1, "tok");
        assertThat(await(auth)).contains("h");
        assertThat(await(seen)).isEqualTo(123L);
        assertThat(ids(await(queued))).containsExactly("q1");
        assertThat(await(settings)).containsExactly(new PipeSetting(1, "p", 4));
        assertThat(hids(await(history))).containsExactly("e1");
        assertThat(await(data)).contains("d");
        assertThat(await(revoked)).isTrue();
        // (a read may also see writes issued after it; only earlier ones are guaranteed)
        store.deleteAuthHash(1, 1);
        store.putAuthHash(1, 2, "x");
        CompletableFuture<Optional<String>> deleted = store.authHash(1, 1);
        store.deleteUserData(1, 1);
        CompletableFuture<Optional<String>> dataDeleted = store.userData(1, 1);
        assertThat(await(deleted)).isEmpty();
        assertThat(await(dataDeleted)).isEmpty();
    }

    @Test
    void flushCompletesAfterEarlierWrites() {
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fs.add(append(1, h("f" + i, "p", 1), 0));
            fs.add(store.putLastSeen(1, i, i));
        }
        await(store.flush());
        assertThat(fs).allMatch(CompletableFuture::isDone);
        assertThat(await(store.history(1, "p", 99))).hasSize(50);
    }

    // ---- durability (durable stores only)

    @Test
    void everythingSurvivesCloseAndReopen() throws Exception {
        store.putAuthHash(1, 10, "hash");
        store.putLastSeen(1, 10, 1_600_000_000L);
        for (int i = 0; i < 20; i++) {
            store.enqueue(1, 10, q("q" + i, 1_600_000_000L), 100);
            append(1, h("h" + i, "trust_log", 1_600_000_000L), 0);
        }
        store.putPipeSetting(1, "p", 7);
        store.putUserData(1, 10, "data");
        store.revoke(1, "tok");
        Store reopened = reopen(store); // close() must flush the writes above, none was awaited
        assumeTrue(reopened != null, "store is not durable");
        store = reopened;
        assertThat(await(store.authHash(1, 10))).contains("hash");
        assertThat(await(store.lastSeen(1, 10))).isEqualTo(1_600_000_000L);
        assertThat(ids(await(store.queued(1, 10, 100))))
                .containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(i -> "q" + i).collect(Collectors.toList()));
        assertThat(hids(await(store.history(1, "trust_log", 99))))
                .containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(i -> "h" + i).collect(Collectors.toList()));
        assertThat(await(store.stream(1, "trust_log"))).contains(new StreamPosition(EPOCH, 20));
        assertThat(await(store.pipeSettings())).containsExactly(new PipeSetting(1, "p", 7));
        assertThat(await(store.userData(1, 10))).contains("data");
        assertThat(await(store.revokedTokens(1))).containsExactly("tok");
        // order continues after a reopen
        await(store.enqueue(1, 10, q("after", 1), 100));
        assertThat(ids(await(store.queued(1, 10, 100)))).endsWith("q19", "after");
    }
}


package io.comet.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The history and stream part of the store contract ({@link StoreContractTest} inherits it):
 * publish order, trimming, offsets, {@link StreamPosition}s, {@link Store#historySince} and the
 * durability of appends.
 */
public abstract class HistoryContractTest extends StoreTestBase {

    // ---- history

    @Test
    void historyIsReturnedInPublishOrderWithinOneSecond() {
        List<String> expected = new ArrayList<>();
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String id = "h" + (40 - i); // ids in reverse order: order must come from append order
            expected.add(id);
            fs.add(append(1, h(id, "web_chat", 1_700_000_000L), 0)); // not awaited: lazy, in call order
        }
        fs.forEach(StoreContractTest::await);
        assertThat(hids(await(store.history(1, "web_chat", 99)))).containsExactlyElementsOf(expected);
        assertThat(hids(await(store.history(1, "web_chat", 5)))).containsExactlyElementsOf(expected.subList(0, 5));
        assertThat(await(store.history(1, "web_chat", 0))).isEmpty();
        assertThat(await(store.history(1, "other", 99))).isEmpty();
        assertThat(await(store.history(2, "web_chat", 99))).isEmpty();
    }

    @Test
    void historyEntryFieldsRoundTrip() {
        HistoryEntry e = new HistoryEntry("2f1e0d9c-8b7a-4655-9443-322110ffeedd", 1_438_245_468L, "web_pipe2",
                "undefined", "<b>\u00fcnicode</b> \ud83d\ude80 'q' \"d\" \\", 77, 12_345_678_901L);
        String epoch = "0123456789abcdef0123456789abcdef"; // the longest epoch: 32 chars
        await(store.appendHistory(5, epoch, e, 3));
        assertThat(await(store.history(5, "web_pipe2", 99))).containsExactly(e);
        assertThat(await(store.historySince(5, "web_pipe2", 0, 99))).containsExactly(e);
        assertThat(await(store.stream(5, "web_pipe2"))).contains(new StreamPosition(epoch, 12_345_678_901L));
    }

    // ---- history streams

    @Test
    void offsetsRoundTripAndTheStreamHoldsTheLastAppendedOffset() {
        assertThat(await(store.stream(1, "chat"))).isEmpty();
        for (int i = 1; i <= 3; i++) {
            await(store.appendHistory(1, "ep-a", h("a" + i, "chat", 100, i), 0));
        }
        assertThat(offsets(await(store.history(1, "chat", 99)))).containsExactly(1L, 2L, 3L);
        assertThat(await(store.stream(1, "chat"))).contains(new StreamPosition("ep-a", 3));
        assertThat(await(store.stream(2, "chat"))).isEmpty(); // per namespace
        assertThat(await(store.stream(1, "Chat"))).isEmpty(); // and per pipe
        await(store.appendHistory(2, "ep-b", h("b1", "chat", 100, 1), 0));
        assertThat(await(store.stream(2, "chat"))).contains(new StreamPosition("ep-b", 1));
        assertThat(await(store.stream(1, "chat"))).contains(new StreamPosition("ep-a", 3));
    }

    @Test
    void theStreamSurvivesTrimmingEntryDeletionAndPurge() {
        for (int i = 1; i <= 5; i++) {
            await(store.appendHistory(1, "ep", h("m" + i, "p", 100, i), 2));
        }
        assertThat(offsets(await(store.history(1, "p", 99)))).containsExactly(4L, 5L);
        assertThat(await(store.stream(1, "p"))).contains(new StreamPosition("ep", 5));
        await(store.deleteHistoryEntry(1, "m5"));
        await(store.deleteHistoryEntry(1, "m4"));
        assertThat(await(store.history(1, "p", 99))).isEmpty();
        assertThat(await(store.stream(1, "p"))).contains(new StreamPosition("ep", 5));

        await(store.appendHistory(1, "tr", h("t1", "trust_x", 100, 1), 0));
        await(store.appendHistory(1, "tr", h("t2", "trust_x", 100, 2), 0));
        await(store.purge(Long.MIN_VALUE, 200));
        assertThat(await(store.history(1, "trust_x", 99))).isEmpty();
        assertThat(await(store.stream(1, "trust_x"))).contains(new StreamPosition("tr", 2));
    }

    @Test
    void historySinceReturnsTheEntriesAfterAnOffsetInOffsetOrderUpToTheLimit() {
        for (int i = 1; i <= 10; i++) {
            append(1, h("s" + i, "p", 100), 0); // not awaited: applied in call order
        }
        append(1, h("other", "q", 100), 0);
        assertThat(offsets(await(store.historySince(1, "p", 0, 99))))
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(hids(await(store.historySince(1, "p", 3, 99))))
                .containsExactly("s4", "s5", "s6", "s7", "s8", "s9", "s10");
        assertThat(hids(await(store.historySince(1, "p", 9, 99)))).containsExactly("s10");
        assertThat(await(store.historySince(1, "p", 10, 99))).isEmpty();
        assertThat(await(store.historySince(1, "p", 1_000, 99))).isEmpty();
        assertThat(hids(await(store.historySince(1, "p", 3, 2)))).containsExactly("s4", "s5");
        assertThat(await(store.historySince(1, "p", 3, 0))).isEmpty();
        assertThat(await(store.historySince(1, "p", 0, -1))).hasSize(10);
        assertThat(await(store.historySince(2, "p", 0, 99))).isEmpty();
        assertThat(hids(await(store.historySince(1, "q", 0, 99)))).containsExactly("other");
        append(1, h("s11", "p", 100), 5); // trims to s7..s11
        assertThat(offsets(await(store.historySince(1, "p", 0, 99)))).containsExactly(7L, 8L, 9L, 10L, 11L);
        assertThat(offsets(await(store.historySince(1, "p", 8, 99)))).containsExactly(9L, 10L, 11L);
    }

    @Test
    void deleteHistoryRemovesTheStreamSoTheNextAppendStartsANewEpoch() {
        await(store.appendHistory(1, "old", h("a", "p", 100, 1), 0));
        await(store.appendHistory(1, "old", h("b", "p", 100, 2), 0));
        await(store.appendHistory(1, "keep", h("c", "p2", 100, 1), 0));
        await(store.deleteHistory(1, "p"));
        assertThat(await(store.stream(1, "p"))).isEmpty();
        assertThat(await(store.historySince(1, "p", 0, 99))).isEmpty();
        assertThat(await(store.stream(1, "p2"))).contains(new StreamPosition("keep", 1));
        await(store.appendHistory(1, "new", h("d", "p", 100, 1), 0));
        assertThat(await(store.stream(1, "p"))).contains(new StreamPosition("new", 1));
        assertThat(hids(await(store.historySince(1, "p", 0, 99)))).containsExactly("d");
    }

    @Test
    void deletePipeSettingRemovesTheStream() {
        await(store.putPipeSetting(1, "p", 10));
        await(store.appendHistory(1, "ep", h("a", "p", 100, 1), 10));
        await(store.appendHistory(2, "ep2", h("c", "p", 100, 1), 10));
        await(store.deletePipeSetting(1, "p"));
        assertThat(await(store.stream(1, "p"))).isEmpty();
        assertThat(await(store.stream(2, "p"))).contains(new StreamPosition("ep2", 1));
    }

    @Test
    void anInvalidEpochIsRefused() {
        HistoryEntry e = h("x", "p", 100, 1);
        assertThatThrownBy(() -> store.appendHistory(1, "", e, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.appendHistory(1, "e".repeat(33), e, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.appendHistory(1, null, e, 0)).isInstanceOf(NullPointerException.class);
        assertThat(await(store.stream(1, "p"))).isEmpty();
        assertThat(await(store.history(1, "p", 99))).isEmpty();
    }

    @Test
    void aCompletedAppendIsDurable() throws Exception {
        await(store.appendHistory(1, "durable", h("d1", "trust_d", 100, 1), 0));
        await(store.appendHistory(1, "durable", h("d2", "trust_d", 100, 2), 0));
        Store reopened = reopen(store);
        assumeTrue(reopened != null, "store is not durable");
        store = reopened;
        assertThat(await(store.historySince(1, "trust_d", 0, 99)))
                .containsExactly(h("d1", "trust_d", 100, 1), h("d2", "trust_d", 100, 2));
        assertThat(await(store.stream(1, "trust_d"))).contains(new StreamPosition("durable", 2));
    }

    @Test
    void appendHistoryKeepsOnlyTheNewestEntries() {
        for (int i = 1; i <= 5; i++) {
            await(append(1, h("m" + i, "p", 100), 3));
        }
        assertThat(hids(await(store.history(1, "p", 99)))).containsExactly("m3", "m4", "m5");
        await(append(1, h("m6", "p", 100), 1));
        assertThat(hids(await(store.history(1, "p", 99)))).containsExactly("m6");
        await(append(1, h("m7", "p", 100), 0)); // 0: no trimming
        await(append(1, h("m8", "p", 100), 0));
        assertThat(hids(await(store.history(1, "p", 99)))).containsExactly("m6", "m7", "m8");
        await(append(2, h("o1", "p", 100), 1)); // trimming is per namespace and pipe
        assertThat(hids(await(store.history(1, "p", 99)))).containsExactly("m6", "m7", "m8");
    }

    @Test
    void historyReadsReturnTheOldestEntriesUpToTheLimit() {
        for (int i = 1; i <= 105; i++) {
            append(1, h("m" + i, "big", 100 + i), 0);
        }
        List<HistoryEntry> got = await(store.history(1, "big", 99));
        assertThat(got).hasSize(99);
        assertThat(got.get(0).id()).isEqualTo("m1");
        assertThat(got.get(98).id()).isEqualTo("m99");
    }

    @Test
    void deleteHistoryAndDeleteHistoryEntry() {
        await(append(1, h("a", "p1", 1), 0));
        await(append(1, h("b", "p1", 1), 0));
        await(append(1, h("c", "p2", 1), 0));
        await(append(2, h("b", "p1", 1), 0));
        await(store.deleteHistoryEntry(1, "b"));
        await(store.deleteHistoryEntry(1, "nope"));
        assertThat(hids(await(store.history(1, "p1", 10)))).containsExactly("a");
        assertThat(hids(await(store.history(2, "p1", 10)))).containsExactly("b");
        await(store.deleteHistory(1, "p1"));
        assertThat(await(store.history(1, "p1", 10))).isEmpty();
        assertThat(hids(await(store.history(1, "p2", 10)))).containsExactly("c");
    }

}

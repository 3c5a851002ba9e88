package io.comet.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.core.ConnectRequest;
import io.comet.core.Message;
import io.comet.core.history.Recovery;
import io.comet.core.store.MemoryStore;
import io.comet.core.store.StreamPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stream positions and recovery at the engine (docs/client-protocol.md §9 "Positions and recovery"). */
class RecoveryTest {

    private static final Duration T = Duration.ofSeconds(5);

    private CometEngine engine;

    @BeforeEach
    void start() {
        engine = CometEngine.builder().store(new MemoryStore()).maintenanceIntervalSeconds(0).build();
        engine.history().setLength(0, "web_chat", 100).join();
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    private InProcessClient tab(String uuid) {
        return engine.connectInProcess(ConnectRequest.anonymous(0, uuid));
    }

    private static Message report(InProcessClient c) {
        return c.await(m -> m.pipe().equals("_recovery"), T);
    }

    private static List<String> texts(List<Message> ms) {
        List<String> out = new ArrayList<>();
        for (Message m : ms) {
            out.add(m.text());
        }
        return out;
    }

    private void publish(int from, int to) {
        for (int i = from; i <= to; i++) {
            engine.publish(0, "web_chat", "say", "m" + i).join();
        }
    }

    @Test
    void publicationsToAPipeWithHistoryGetOffsetsOneTwoThreeInOneEpoch() {
        InProcessClient c = tab("a");
        c.subscribe(List.of("web_chat"));
        publish(1, 3);
        List<Message> got = c.awaitCount("web_chat", 3, T);
        assertThat(got).extracting(Message::offset).containsExactly(1L, 2L, 3L);
        assertThat(got).extracting(Message::epoch).doesNotContainNull().containsOnly(got.get(0).epoch());
        assertThat(engine.history().oldest(0, "web_chat").join()).extracting(e -> e.offset()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aPositionAwareSubscriberIsToldWhereThePipeStands() {
        publish(1, 2);
        InProcessClient c = tab("a");
        engine.subscribe(c.session(), List.of("web_chat", "web_nohistory"), Map.of());
        Message r = report(c);
        assertThat(r.data()).isInstanceOf(Map.class);
        Map<?, ?> d = (Map<?, ?>) r.data();
        assertThat(d.get("pipe")).isEqualTo("web_chat");
        assertThat(d.get("offset")).isEqualTo(2L);
        assertThat(d.containsKey("recovered")).as("nothing was asked").isFalse();
        assertThat(c.messages("_recovery")).as("no report for a pipe without history").hasSize(1);
    }

    @Test
    void aClientThatComesBackGetsExactlyWhatItMissedInOrderThenLiveOnes() {
        InProcessClient first = tab("a");
        engine.subscribe(first.session(), List.of("web_chat"), Map.of());
        publish(1, 5);
        Message last = first.awaitCount("web_chat", 5, T).get(4);
        first.disconnect();
        publish(6, 35); // 30 while away

        InProcessClient back = tab("a");
        engine.subscribe(back.session(), List.of("web_chat"),
                Map.of("web_chat", new StreamPosition(last.epoch(), last.offset())));
        Map<?, ?> d = (Map<?, ?>) report(back).data();
        assertThat(d.get("recovered")).isEqualTo(true);
        assertThat(d.get("offset")).isEqualTo(35L);
        publish(36, 36);
        List<Message> got = back.awaitCount("web_chat", 31, T);
        assertThat(texts(got)).isEqualTo(texts(expected(6, 36)));
        assertThat(got).extracting(Message::offset).isSorted().doesNotHaveDuplicates();
        int reportAt = back.messages().indexOf(back.messages("_recovery").get(0));
        assertThat(back.messages().get(reportAt - 1).text()).as("the report comes after the replay").isEqualTo("m35");
    }

    private static List<Message> expected(int from, int to) {
        List<Message> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(Message.pipe("web_chat", "say", "m" + i, 0));
        }
        return out;
    }

    @Test
    void anEpochChangeIsReportedAsNotRecoveredNeverAsASilentGap() {
        InProcessClient first = tab("a");
        first.subscribe(List.of("web_chat"));
        publish(1, 3);
        Message last = first.awaitCount("web_chat", 3, T).get(2);
        first.disconnect();
        engine.history().delete(0, "web_chat").join(); // history lost: new epoch
        publish(4, 5);

        InProcessClient back = tab("a");
        engine.subscribe(back.session(), List.of("web_chat"),
                Map.of("web_chat", new StreamPosition(last.epoch(), last.offset())));
        Map<?, ?> d = (Map<?, ?>) report(back).data();
        assertThat(d.get("recovered")).isEqualTo(false);
        assertThat(d.get("epoch")).isNotEqualTo(last.epoch());
        assertThat(back.messages("web_chat")).as("no partial replay").isEmpty();
    }

    @Test
    void settingTheLengthToZeroStartsANewEpoch() {
        publish(1, 2);
        String before = engine.history().position(0, "web_chat").join().orElseThrow().epoch();
        engine.history().setLength(0, "web_chat", 0).join();
        engine.history().setLength(0, "web_chat", 10).join();
        publish(3, 3);
        StreamPosition now = engine.history().position(0, "web_chat").join().orElseThrow();
        assertThat(now.epoch()).isNotEqualTo(before);
        assertThat(now.offset()).isEqualTo(1);
    }

    @Test
    void missingMoreThanTheHistoryKeepsIsNotRecovered() {
        engine.history().setLength(0, "web_chat", 3).join();
        publish(1, 2);
        StreamPosition at = engine.history().position(0, "web_chat").join().orElseThrow();
        publish(3, 10);
        Recovery r = engine.history().since(0, "web_chat", at.epoch(), at.offset()).join();
        assertThat(r.recovered()).isFalse();
        assertThat(engine.history().since(0, "web_chat", at.epoch(), 7).join().missed())
                .extracting(e -> e.text()).containsExactly("m8", "m9", "m10");
    }

    @Test
    void aPipeWithoutHistoryCannotBeRecoveredAndSaysSo() {
        InProcessClient c = tab("a");
        engine.subscribe(c.session(), List.of("web_plain"), Map.of("web_plain", new StreamPosition("x", 3)));
        Map<?, ?> d = (Map<?, ?>) report(c).data();
        assertThat(d.get("recovered")).isEqualTo(false);
        assertThat(d.get("epoch")).isEqualTo("");
    }

    @Test
    void pipeLogRepliesCarryPositions() {
        publish(1, 2);
        InProcessClient c = tab("a");
        engine.pipeLog(c.session(), "web_chat").join();
        assertThat(c.messages("web_chat")).extracting(Message::offset).containsExactly(1L, 2L);
        assertThat(c.messages("web_chat")).allMatch(Message::fromQueue);
    }

    @Test
    void livePublicationsDuringARecoveryAreHeldBackAndNeverDuplicated() throws Exception {
        java.util.concurrent.CompletableFuture<Void> gate = new java.util.concurrent.CompletableFuture<>();
        MemoryStore memory = new MemoryStore();
        io.comet.core.store.Store slowRead = (io.comet.core.store.Store) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {io.comet.core.store.Store.class}, (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(memory, args);
                        return method.getName().equals("historySince")
                                ? gate.thenCompose(v -> (java.util.concurrent.CompletableFuture<?>) result) : result;
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        engine.close();
        engine = CometEngine.builder().store(slowRead).maintenanceIntervalSeconds(0).build();
        engine.history().setLength(0, "web_chat", 100).join();
        InProcessClient first = tab("a");
        first.subscribe(List.of("web_chat"));
        publish(1, 5);
        Message last = first.awaitCount("web_chat", 5, T).get(4);
        first.disconnect();
        publish(6, 10);

        InProcessClient back = tab("a");
        engine.subscribe(back.session(), List.of("web_chat"),
                Map.of("web_chat", new StreamPosition(last.epoch(), last.offset())));
        publish(11, 12); // live, while the history read waits: held back
        assertThat(back.messages("web_chat")).isEmpty();
        gate.complete(null);
        publish(13, 13);
        List<Message> got = back.awaitCount("web_chat", 8, T);
        assertThat(got).extracting(Message::offset).containsExactly(6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L);
        assertThat(((Map<?, ?>) report(back).data()).get("recovered")).isEqualTo(true);
    }
}

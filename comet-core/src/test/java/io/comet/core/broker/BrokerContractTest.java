package io.comet.core.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.comet.core.Message;
import io.comet.core.history.Recovery;
import io.comet.core.store.StreamPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Broker} keeps (docs/architecture.md, "the Broker seam"): ordering per
 * pipe, no loss, no duplicates, positions and history by position, presence counted once per user,
 * kick, member counts — with two nodes of one deployment. Shipped in comet-core's test-jar; an
 * implementation extends it and says how to make a node.
 */
public abstract class BrokerContractTest {

    private static final Duration T = Duration.ofSeconds(10);

    /** A new node of the one deployment under test (the same backend every call). */
    protected abstract Broker newNode();

    protected Broker a;
    protected Broker b;
    protected RecordingNode na;
    protected RecordingNode nb;

    @BeforeEach
    void startNodes() {
        a = newNode();
        b = newNode();
        na = new RecordingNode();
        nb = new RecordingNode();
        a.start(na);
        b.start(nb);
    }

    @AfterEach
    void stopNodes() {
        a.close();
        b.close();
    }

    /**
     * One session on each node joins {@code pipe} (a broker may listen to a pipe only while its
     * node has a subscriber); returns once both nodes will receive every later publication.
     */
    protected void listen(String pipe) {
        a.joined(0, pipe, 1, new Member(0, "sa", "", "", "", "")).join();
        b.joined(0, pipe, 2, new Member(0, "sb", "", "", "", "")).join();
    }

    private static Message msg(String pipe, String text) {
        return Message.pipe(pipe, "e", text, 1_700_000_000L);
    }

    private static List<Long> offsets(List<Message> got) {
        List<Long> out = new ArrayList<>();
        for (Message m : got) {
            out.add(m.offset());
        }
        return out;
    }

    private static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(i);
        }
        return out;
    }

    @Test
    void aPipeWithHistoryReachesEveryNodeWithOffsetsOneTwoThreeInOrder() {
        listen("web_c1");
        List<CompletableFuture<Publication>> fs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            fs.add(a.publish(0, "web_c1", msg("web_c1", "m" + i), 0, 0));
        }
        CompletableFuture.allOf(fs.toArray(new CompletableFuture<?>[0])).join();
        assertThat(fs.get(199).join().offset()).isEqualTo(200);
        assertThat(fs.get(0).join().delivered()).as("one subscriber on each node").isEqualTo(2);
        await().atMost(T).untilAsserted(() -> assertThat(offsets(nb.received("web_c1"))).isEqualTo(range(1, 200)));
        for (RecordingNode n : List.of(na, nb)) {
            List<Message> got = n.received("web_c1");
            assertThat(offsets(got)).isEqualTo(range(1, 200));
            assertThat(got.get(0).text()).isEqualTo("m0");
            assertThat(got).extracting(Message::epoch).containsOnly(fs.get(0).join().epoch());
        }
    }

    @Test
    void aPipeWithoutHistoryIsDeliveredWithoutAPosition() {
        listen("web_plain");
        a.publish(0, "web_plain", msg("web_plain", "x"), -1, 0).join();
        await().atMost(T).until(() -> nb.received("web_plain").size() == 1);
        assertThat(nb.received("web_plain").get(0).hasPosition()).isFalse();
        assertThat(a.position(0, "web_plain").join().map(StreamPosition::offset).orElse(0L)).as("nothing logged").isZero();
    }

    @Test
    void concurrentPublishersOnTwoNodesWithAChurningSubscriberLoseAndRepeatNothing() throws Exception {
        listen("web_hot");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Broker via = t % 2 == 0 ? a : b;
            int thread = t;
            all.add(CompletableFuture.runAsync(() -> {
                List<CompletableFuture<Publication>> fs = new ArrayList<>();
                for (int i = 0; i < 250; i++) {
                    fs.add(via.publish(0, "web_hot", msg("web_hot", thread + ":" + i), 0, 0));
                    if (thread == 0 && i % 25 == 0) {
                        nb.listening(i % 50 != 0); // b's subscriber leaves and comes back
                    }
                }
                CompletableFuture.allOf(fs.toArray(new CompletableFuture<?>[0])).join();
            }, pool));
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
        nb.listening(true);
        pool.shutdown();
        await().atMost(T).untilAsserted(() -> assertThat(offsets(na.received("web_hot"))).isEqualTo(range(1, 1000)));
        assertThat(offsets(na.received("web_hot"))).isEqualTo(range(1, 1000));
        List<Long> churned = offsets(nb.received("web_hot"));
        assertThat(churned).isSorted().doesNotHaveDuplicates();
        int[] last = new int[4];
        java.util.Arrays.fill(last, -1);
        for (Message m : na.received("web_hot")) { // per-publisher order kept
            String[] p = m.text().split(":");
            int th = Integer.parseInt(p[0]);
            int i = Integer.parseInt(p[1]);
            assertThat(i).isGreaterThan(last[th]);
            last[th] = i;
        }
    }

    @Test
    void historyIsReadByPositionAndALostHistoryStartsANewEpoch() {
        Publication p = null;
        for (int i = 1; i <= 10; i++) {
            p = a.publish(0, "web_h", msg("web_h", "m" + i), 100, 0).join();
        }
        String epoch = p.epoch();
        assertThat(b.position(0, "web_h").join()).contains(new StreamPosition(epoch, 10));
        Recovery r = b.recover(0, "web_h", epoch, 4, 1000).join();
        assertThat(r.recovered()).isTrue();
        assertThat(r.missed()).extracting(e -> e.offset()).containsExactly(5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(r.missed().get(0).text()).isEqualTo("m5");
        assertThat(b.recover(0, "web_h", epoch, 10, 1000).join()).satisfies(x -> {
            assertThat(x.recovered()).isTrue();
            assertThat(x.missed()).isEmpty();
        });
        assertThat(b.recover(0, "web_h", "other", 4, 1000).join().recovered()).as("another epoch").isFalse();
        assertThat(b.recover(0, "web_h", epoch, 2, 5).join().recovered()).as("more missed than the limit").isFalse();

        b.dropHistory(0, "web_h").join();
        Publication after = a.publish(0, "web_h", msg("web_h", "new"), 100, 0).join();
        assertThat(after.epoch()).isNotEqualTo(epoch);
        assertThat(after.offset()).isEqualTo(1);
        assertThat(a.recover(0, "web_h", epoch, 10, 1000).join().recovered()).isFalse();
    }

    @Test
    void historyKeepsTheNewestAndRecoveryBeyondItIsNotRecovered() {
        Publication p = null;
        for (int i = 1; i <= 10; i++) {
            p = a.publish(0, "web_trim", msg("web_trim", "m" + i), 3, 0).join();
        }
        assertThat(a.history(0, "web_trim", 99).join().entries()).extracting(e -> e.offset()).containsExactly(8L, 9L, 10L);
        assertThat(b.recover(0, "web_trim", p.epoch(), 7, 1000).join().recovered()).isTrue();
        assertThat(b.recover(0, "web_trim", p.epoch(), 6, 1000).join().recovered()).as("offset 7 was trimmed").isFalse();
    }

    @Test
    void aUserIsOnlineOnceHoweverManyNodesHoldHisSessions() {
        assertThat(a.userConnected(0, 5).join()).as("first anywhere").isTrue();
        assertThat(b.userConnected(0, 5).join()).as("already online").isFalse();
        assertThat(a.isOnline(0, 5).join()).isTrue();
        assertThat(a.userDisconnected(0, 5).join()).as("still on b").isFalse();
        assertThat(b.isOnline(0, 5).join()).isTrue();
        assertThat(b.userDisconnected(0, 5).join()).as("last").isTrue();
        assertThat(a.isOnline(0, 5).join()).isFalse();
        assertThat(a.isOnline(1, 5).join()).as("namespaces apart").isFalse();
    }

    @Test
    void kickPrivateMessagesAndMembersReachEveryNode() {
        na.userSessions(7, 2);
        nb.userSessions(7, 1);
        assertThat(a.sendPrivate(0, 7, Message.of("msg", "e", "hi", null, null, 0, false, null)).join())
                .as("the other nodes' receivers").isEqualTo(1);
        assertThat(nb.privates(7)).extracting(Message::text).containsExactly("hi");
        assertThat(na.privates(7)).as("the sender's node delivers locally itself").isEmpty();
        assertThat(b.kick(0, 7).join()).isEqualTo(3);
        assertThat(na.kicked() + nb.kicked()).isEqualTo(3);

        na.addMember("track_r", new Member(1, "u1", "", "", "", ""));
        nb.addMember("track_r", new Member(2, "u2", "", "", "", ""));
        assertThat(a.subscriberCount(0, "track_r").join()).isEqualTo(2);
        Set<Long> ids = new HashSet<>();
        for (Member m : b.members(0, "track_r").join()) {
            ids.add(m.userId());
        }
        assertThat(ids).containsExactlyInAnyOrder(1L, 2L);
    }

    @Test
    void positionIsEmptyBeforeAnythingIsLogged() {
        Optional<StreamPosition> p = a.position(0, "web_new").join();
        assertThat(p.map(StreamPosition::offset).orElse(0L)).isZero();
    }
}

package io.comet.transport;

import static io.comet.test.client.Waits.await;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.test.client.CometWsClient;
import io.comet.test.client.ClientPaths;
import io.comet.core.Message;
import io.comet.core.Session;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue point 4: a subscriber that never reads cannot make the server buffer without bound.
 * Its pending bytes stay under the high-water mark, it is disconnected (abruptly, so it
 * reconnects) instead of being left open with gaps, and a healthy subscriber of the same pipe
 * receives every message. Also: fan-out encodes once per wire format and writes the same bytes
 * to everyone.
 */
class SlowConsumerTest {

    private static final int HIGH_WATER = 64 * 1024;

    private ServerFixture f;

    @BeforeEach
    void start() {
        f = new ServerFixture(c -> c.outboundHighWaterMark(HIGH_WATER).slowConsumerTimeout(Duration.ofMillis(300))
                .socketSendBuffer(8 * 1024));
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    @Test
    void nonReadingClientIsBoundedAndDisconnectedWhileOthersReceive() throws Exception {
        CometWsClient stalled = f.track(CometWsClient.open(f.port, ClientPaths.of("", "x", 0, 0, "4.08", "stalled"), "",
                false, 4096));
        stalled.send("subscription\nweb_flood");
        CometWsClient healthy = f.anonymous("healthy");
        healthy.await("sys", "serverInfo");
        healthy.send("subscription\nweb_flood");
        await("both subscribed").atMost(Duration.ofSeconds(5)).until(() -> f.engine.subscriberCount(0, "web_flood") == 2);
        Session slow = f.engine.sessions().stream().filter(s -> s.uuid().equals("stalled")).findFirst().orElseThrow();
        ChannelOutbound slowOut = (ChannelOutbound) slow.outbound();

        String text = "x".repeat(1000);
        int total = 2000;
        int batch = 25; // the healthy reader keeps up: never near its own mark
        for (int i = 0; i < total; i += batch) {
            for (int k = i; k < i + batch; k++) {
                f.engine.publish(0, "web_flood", "m" + k, text);
            }
            int upTo = i + batch;
            healthy.awaitCount(m -> "web_flood".equals(m.get("pipe")), upTo, Duration.ofSeconds(10));
            // bounded by the mark (+ at most one message in flight between the queue and the channel)
            assertThat(slowOut.pendingBytes()).isLessThanOrEqualTo(HIGH_WATER + 2048);
        }
        // ~2 MB were published; the stalled connection never held more than the mark
        assertThat(slowOut.maxPendingBytes()).isLessThanOrEqualTo(HIGH_WATER).isGreaterThan(HIGH_WATER / 2);
        assertThat(slowOut.refusedMessages()).isPositive();
        await("stalled consumer disconnected").atMost(Duration.ofSeconds(5)).until(slow::isClosed);
        assertThat(f.engine.sessions()).hasSize(1);
        assertThat(healthy.messages().stream().filter(m -> "web_flood".equals(m.get("pipe"))).count()).isEqualTo(total);
        assertThat(healthy.isEof()).isFalse();
    }

    /**
     * No silent gaps: once a message had to be refused for a connection, that connection is
     * closed at once, long before the (here 60 s) slow-consumer timeout. A server that skipped
     * messages and kept the connection open until the timeout fails this test.
     */
    @Test
    void refusedMessageClosesTheConnectionAtOnceRatherThanLeavingAGap() throws Exception {
        f.close();
        f = new ServerFixture(c -> c.outboundHighWaterMark(HIGH_WATER).slowConsumerTimeout(Duration.ofSeconds(60))
                .socketSendBuffer(8 * 1024));
        CometWsClient stalled = f.track(CometWsClient.open(f.port, ClientPaths.of("", "x", 0, 0, "4.08", "stalled"), "",
                false, 4096));
        stalled.send("subscription\nweb_flood");
        await("subscribed").atMost(Duration.ofSeconds(5)).until(() -> f.engine.subscriberCount(0, "web_flood") == 1);
        Session slow = f.engine.sessions().stream().filter(s -> s.uuid().equals("stalled")).findFirst().orElseThrow();
        ChannelOutbound slowOut = (ChannelOutbound) slow.outbound();
        String text = "x".repeat(1000);
        long firstRefusal = 0;
        for (int k = 0; k < 2000 && !slow.isClosed(); k++) {
            f.engine.publish(0, "web_flood", "m" + k, text);
            if (firstRefusal == 0 && slowOut.refusedMessages() > 0) {
                firstRefusal = System.nanoTime();
            }
            // open and complete, or closed: never open with a message missing for long
            if (firstRefusal != 0) {
                assertThat(System.nanoTime() - firstRefusal).as("open with a gap").isLessThan(2_000_000_000L);
            }
            if (k % 50 == 0) {
                Thread.sleep(1);
            }
        }
        assertThat(firstRefusal).as("the flood reached the mark").isPositive();
        await("closed right after the refusal").atMost(Duration.ofSeconds(2)).until(slow::isClosed);
        assertThat(System.nanoTime() - firstRefusal).isLessThan(Duration.ofSeconds(10).toNanos());
        assertThat(slowOut.maxPendingBytes()).isLessThanOrEqualTo(HIGH_WATER);
        await("the budget gets the closed connection's bytes back").atMost(Duration.ofSeconds(5)).until(
                () -> f.server.context().budget().pendingBytes() == 0);
    }

    /** The server's delivery budget is what CometQL waits for; stopping the server releases waiters. */
    @Test
    void deliveryBudgetIsTheEnginesBacklogUntilTheServerStops() throws Exception {
        f.close();
        f = new ServerFixture(c -> c.outboundHighWaterMark(HIGH_WATER).deliveryBudget(HIGH_WATER)
                .slowConsumerTimeout(Duration.ofSeconds(60)).socketSendBuffer(8 * 1024));
        DeliveryBudget budget = f.server.context().budget();
        assertThat(budget.limit()).isEqualTo(HIGH_WATER);
        assertThat(f.engine.backpressure().whenBelowLimit()).isDone();
        budget.add(HIGH_WATER); // as if a burst were on its way to the sockets
        java.util.concurrent.CompletableFuture<Void> publisher = f.engine.backpressure().whenBelowLimit();
        assertThat(publisher).isNotDone();
        budget.release(1);
        assertThat(publisher).isDone();
        budget.add(1);
        java.util.concurrent.CompletableFuture<Void> waiting = f.engine.backpressure().whenBelowLimit();
        assertThat(waiting).isNotDone();
        f.server.close();
        assertThat(waiting).isDone();
        assertThat(f.engine.backpressure().whenBelowLimit()).isDone();
    }

    @Test
    void fanOutEncodesOncePerWireFormatAndSharesTheBytes() throws Exception {
        CometWsClient a = f.anonymous("a");
        CometWsClient b = f.anonymous("b");
        CometWsClient legacy = f.open(ClientPaths.of("", "x", 0, 0, "3.25", "c"));
        for (CometWsClient c : new CometWsClient[] {a, b, legacy}) {
            c.await("sys", "serverInfo");
            c.send("subscription\nweb_once");
        }
        await("subscribed").atMost(Duration.ofSeconds(5)).until(() -> f.engine.subscriberCount(0, "web_once") == 3);
        int[] v4Encodings = {0};
        Message m = Message.pipe("web_once", "ev", "same bytes", 1);
        // pre-count through the cache: the encoder function runs once per slot however many subscribers
        m.encoded(WireFormat.SLOT_V4, x -> {
            v4Encodings[0]++;
            return WireFormat.frame(io.comet.core.json.Json.write(x.envelope()));
        });
        WireFormat.Encoded cachedV4 = WireFormat.encode(m, false);
        for (Session s : f.engine.members(0, "web_once")) {
            s.send(m);
        }
        WireFormat.Encoded cachedLegacy = WireFormat.encode(m, true);
        assertThat(WireFormat.encode(m, true)).isSameAs(cachedLegacy);
        assertThat(WireFormat.encode(m, false)).isSameAs(cachedV4);
        assertThat(v4Encodings[0]).isEqualTo(1);
        // two duplicates of the shared frame see the same backing array, not copies
        assertThat(cachedV4.frame().array()).isSameAs(cachedV4.frame().array());
        Map<String, Object> got = a.await("web_once", "ev");
        assertThat(b.await("web_once", "ev")).isEqualTo(got);
        assertThat(legacy.await("web_once", "ev")).containsEntry("event_name", "ev");
    }
}

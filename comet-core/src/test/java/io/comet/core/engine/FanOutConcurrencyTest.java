package io.comet.core.engine;

import io.comet.core.*;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Issue [1] point 6: subscriber sets are safe under concurrent subscribe / unsubscribe /
 * publish. Steady subscribers get every message exactly once and in each publisher's order;
 * churning subscribers never get a message twice; one message object is shared by all.
 */
class FanOutConcurrencyTest {

    private static final int PUBLISHERS = 4;
    private static final int MESSAGES_PER_PUBLISHER = 5_000;
    private static final int STEADY = 50;
    private static final int CHURNERS = 4;

    /** Records deliveries without locking the hot path more than a real transport would. */
    static final class Recorder implements Outbound {
        final List<Message> got = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public boolean send(Message message) {
            if (message.pipe().equals("web_hot")) {
                got.add(message);
            }
            return true;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void noLostNoDuplicatedNoReorderedDeliveriesUnderChurn() throws Exception {
        CometEngine engine = CometEngine.builder().maintenanceIntervalSeconds(0).build();
        List<Recorder> steady = new ArrayList<>();
        for (int i = 0; i < STEADY; i++) {
            Recorder r = new Recorder();
            engine.subscribe(engine.connect(ConnectRequest.anonymous(0, "s" + i), r).join(), List.of("web_hot", "other"));
            steady.add(r);
        }
        List<Recorder> churnRecorders = new ArrayList<>();
        List<Session> churnSessions = new ArrayList<>();
        for (int i = 0; i < CHURNERS; i++) {
            Recorder r = new Recorder();
            churnRecorders.add(r);
            churnSessions.add(engine.connect(ConnectRequest.anonymous(0, "c" + i), r).join());
        }
        ExecutorService pool = Executors.newFixedThreadPool(PUBLISHERS + CHURNERS);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean publishing = new AtomicBoolean(true);
        List<Future<?>> pubs = new ArrayList<>();
        for (int p = 0; p < PUBLISHERS; p++) {
            int id = p;
            pubs.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < MESSAGES_PER_PUBLISHER; i++) {
                    engine.publish(0, "web_hot", "p" + id, Integer.toString(i));
                }
                return null;
            }));
        }
        List<Future<?>> churn = new ArrayList<>();
        for (Session s : churnSessions) {
            churn.add(pool.submit(() -> {
                start.await();
                int round = 0;
                while (publishing.get()) {
                    engine.subscribe(s, round++ % 2 == 0 ? List.of("web_hot", "x" + round % 7) : List.of("x" + round % 5));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : pubs) {
            f.get(60, TimeUnit.SECONDS);
        }
        publishing.set(false);
        for (Future<?> f : churn) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        for (Recorder r : steady) {
            assertThat(r.got).hasSize(PUBLISHERS * MESSAGES_PER_PUBLISHER);
            Map<String, Integer> next = new ConcurrentHashMap<>();
            for (Message m : r.got) {
                int expected = next.getOrDefault(m.event(), 0);
                assertThat(Integer.parseInt(m.text())).as("order of publisher " + m.event()).isEqualTo(expected);
                next.put(m.event(), expected + 1);
            }
        }
        // the very same immutable instance of a message reached every steady subscriber (which message
        // a subscriber got first depends on how the concurrent publishers interleave: compare one message)
        Set<Message> sameMessage = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Recorder r : steady) {
            r.got.stream().filter(m -> m.event().equals("p0") && m.text().equals("0")).forEach(sameMessage::add);
        }
        assertThat(sameMessage).hasSize(1);
        for (Recorder r : churnRecorders) {
            Set<Message> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            synchronized (r.got) {
                for (Message m : r.got) {
                    if (m.pipe().equals("web_hot")) {
                        assertThat(seen.add(m)).as("duplicate delivery").isTrue();
                    }
                }
            }
        }
        assertThat(engine.stats().messages()).isEqualTo((long) PUBLISHERS * MESSAGES_PER_PUBLISHER);
        // every churner ended subscribed to exactly what its last call said; registry agrees
        int expectedHot = STEADY;
        for (Session s : churnSessions) {
            if (s.subscriptions().contains("web_hot")) {
                expectedHot++;
            }
        }
        assertThat(engine.subscriberCount(0, "web_hot")).isEqualTo(expectedHot);
        Set<Long> ids = new HashSet<>();
        engine.members(0, "web_hot").forEach(s -> assertThat(ids.add(s.id())).isTrue());
        engine.close();
    }
}

package io.comet.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The load generator against {@link FakeCometServer}: open, subscribe, receive in order, leave. */
class BenchClientTest {

    @Test
    void tabsOpenSubscribeReceiveAndLeaveLikeBrowsers() throws Exception {
        try (FakeCometServer fake = new FakeCometServer()) {
            Target target = new Target("127.0.0.1", fake.port(), 1, "x", 0, -1, false);
            Tracker tracker = new Tracker(1, 2, 100);
            List<Conn> tabs = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                int p = i % 2;
                tabs.add(new Conn(i, 0, null, new String[] {"pipe_" + p}, new int[] {p}));
            }
            try (BenchClient client = new BenchClient(target, 2, 3, 1, true, false)) {
                client.listener(tracker);
                Opener.Result r = client.open(tabs, 16, 1, 20_000);
                assertThat(r.opened()).as("last error %s", tabs.get(0).lastError).isEqualTo(60);
                assertThat(r.failed()).isZero();
                assertThat(r.authorized()).isZero();
                long deadline = System.currentTimeMillis() + 10_000;
                while (tracker.readyTabs.sum() < 60 && System.currentTimeMillis() < deadline) {
                    fake.publish("pipe_0", tracker.probe(0));
                    fake.publish("pipe_1", tracker.probe(1));
                    Thread.sleep(50);
                }
                assertThat(tracker.readyTabs.sum()).isEqualTo(60);
                tracker.prepare(tabs);
                tracker.measuring = true;
                for (int seq = 1; seq <= 200; seq++) {
                    int p = seq % 2;
                    fake.publish("pipe_" + p, tracker.payload(1, seq, p));
                    tracker.publishedPerTarget.incrementAndGet(p);
                }
                deadline = System.currentTimeMillis() + 10_000;
                while (tracker.delivered.sum() < 60 * 100 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(10);
                }
                Tracker.Check check = tracker.check(tabs, tracker::expectedFor);
                assertThat(check.expected()).isEqualTo(6000);
                assertThat(check.lost()).isZero();
                assertThat(check.reordered()).isZero();
                assertThat(check.duplicates()).isZero();
                int byServer = client.closeGracefully(tabs, 5000);
                assertThat(byServer).isEqualTo(60);
                assertThat(tabs).allSatisfy(c -> assertThat(c.closeFrames).isZero());
                assertThat(fake.unknown.get()).isZero();
            }
        }
    }
}

package io.comet.bench;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TrackerTest {
    private static void deliver(Tracker t, Conn c, String payload) {
        String line = "{\"data\":\"" + payload + "\",\"event\":\"m\",\"message_send_time\":1,\"pipe\":\"p\"}";
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        JsonLine l = new JsonLine();
        l.scan(b, 0, b.length);
        t.onMessage(c, l);
    }

    @Test
    void payloadIsPlainAsciiOfTheMessageSize() {
        Tracker t = new Tracker(2, 1, 100);
        assertThat(t.payload(1, 7, 0)).hasSize(100).matches("[a-z0-9.x]+").startsWith(t.tag + ".1.7.0.");
    }

    @Test
    void countsLossReorderDuplicatesPerPublisherAndPipe() {
        Tracker t = new Tracker(2, 2, 100);
        Conn c = new Conn(1, 0, null, new String[] {"a", "b"}, new int[] {0, 1});
        t.prepare(List.of(c));
        deliver(t, c, t.probe(0));
        assertThat(c.ready).isTrue();
        t.measuring = true;
        deliver(t, c, t.payload(1, 1, 0));
        deliver(t, c, t.payload(1, 3, 0));
        deliver(t, c, t.payload(1, 2, 0)); // late: reordered
        deliver(t, c, t.payload(1, 3, 0)); // same as last: duplicate
        deliver(t, c, t.payload(2, 1, 1));
        deliver(t, c, t.payload(1, 4, 1)); // other pipe: own sequence track
        deliver(t, c, "zzzzzz.1.1.0.1.x"); // another run's message
        t.publishedPerTarget.set(0, 4);
        t.publishedPerTarget.set(1, 2);
        Tracker.Check check = t.check(List.of(c), t::expectedFor);
        assertThat(check.expected()).isEqualTo(6);
        assertThat(check.received()).isEqualTo(5);
        assertThat(check.lost()).isEqualTo(1);
        assertThat(check.reordered()).isEqualTo(1);
        assertThat(check.duplicates()).isEqualTo(1);
        assertThat(t.foreign.sum()).isEqualTo(1);
        assertThat(t.latencySnapshot().getTotalCount()).isEqualTo(6);
    }
}

package io.comet.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Builds the bench's payloads and checks them on arrival. A payload is plain ASCII (so no server
 * escapes it): {@code {tag}.{publisher}.{seq}.{pipe}.{sendMicros}.} padded with {@code x} to the
 * message size. Publisher 0 is the probe that tells when a tab is subscribed; publishers 1..n
 * number their messages from 1, so every tab can count what it missed and what came out of
 * order, per publisher and per pipe. Latency is receive time minus the carried send time
 * ({@link Clock}, comparable across processes).
 */
final class Tracker implements Listener {
    private static final char[] TAG_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    final String tag;
    private final byte[] tagBytes;
    final int publishers;
    final int messageSize;
    /** Published (acknowledged by the server) per pipe index. */
    final AtomicLongArray publishedPerTarget;
    final Recorder latency = new Recorder(3_600_000_000L, 3);
    final LongAdder delivered = new LongAdder();
    final LongAdder probes = new LongAdder();
    final LongAdder readyTabs = new LongAdder();
    final LongAdder foreign = new LongAdder();
    volatile boolean measuring;

    Tracker(int publishers, int targets, int messageSize) {
        char[] t = new char[6];
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < t.length; i++) {
            t[i] = TAG_CHARS[r.nextInt(TAG_CHARS.length)];
        }
        this.tag = new String(t);
        this.tagBytes = tag.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        this.publishers = publishers;
        this.messageSize = messageSize;
        this.publishedPerTarget = new AtomicLongArray(Math.max(1, targets));
    }

    /** The payload for one message. */
    String payload(int publisher, long seq, int target) {
        StringBuilder sb = new StringBuilder(messageSize + 24);
        sb.append(tag).append('.').append(publisher).append('.').append(seq).append('.')
                .append(target).append('.').append(Clock.micros()).append('.');
        while (sb.length() < messageSize) {
            sb.append('x');
        }
        return sb.toString();
    }

    String probe(int target) {
        return payload(0, 0, target);
    }

    void prepare(List<Conn> conns) {
        for (Conn c : conns) {
            c.resetCounters(publishers);
        }
    }

    @Override
    public void onMessage(Conn c, JsonLine line) {
        if (line.dataStart < 0 || line.fromQueue) {
            foreign.increment();
            return;
        }
        byte[] b = line.buf;
        int i = line.dataStart;
        int end = line.dataEnd;
        if (end - i < tagBytes.length + 1) {
            foreign.increment();
            return;
        }
        for (int k = 0; k < tagBytes.length; k++) {
            if (b[i + k] != tagBytes[k]) {
                foreign.increment();
                return;
            }
        }
        i += tagBytes.length + 1;
        long[] f = new long[4];
        for (int k = 0; k < 4; k++) {
            long v = 0;
            byte ch;
            while (i < end && (ch = b[i]) != '.') {
                if (ch < '0' || ch > '9') {
                    foreign.increment();
                    return;
                }
                v = v * 10 + (ch - '0');
                i++;
            }
            i++;
            f[k] = v;
        }
        int pub = (int) f[0];
        long seq = f[1];
        int target = (int) f[2];
        long sent = f[3];
        if (pub == 0) {
            probes.increment();
            if (!c.ready) {
                c.ready = true;
                readyTabs.increment();
            }
            return;
        }
        if (!measuring || pub > publishers) {
            return;
        }
        long now = Clock.micros();
        latency.recordValue(Math.max(0, Math.min(now - sent, 3_600_000_000L)));
        delivered.increment();
        int slot = c.slotOf(target);
        long[] last = c.lastSeq;
        if (slot < 0 || last == null) {
            foreign.increment();
            return;
        }
        int idx = slot * (publishers + 1) + pub;
        long prev = last[idx];
        if (seq == prev) {
            c.duplicates++;
            return;
        }
        if (seq < prev) {
            c.reordered++;
        } else {
            last[idx] = seq;
        }
        c.received++;
    }

    /** Sums of the per-tab counters after a measured step. */
    record Check(long expected, long received, long lost, long extra, long reordered, long duplicates,
                 long sysErrors) {
    }

    /**
     * Compares what each tab received with what was published to its pipes.
     *
     * @param perTab expected deliveries for the tab (sum over its pipes of published messages)
     */
    Check check(List<Conn> conns, java.util.function.ToLongFunction<Conn> perTab) {
        long expected = 0;
        long received = 0;
        long lost = 0;
        long extra = 0;
        long reordered = 0;
        long dups = 0;
        long errors = 0;
        for (Conn c : conns) {
            long e = perTab.applyAsLong(c);
            long r = c.received;
            expected += e;
            received += r;
            lost += Math.max(0, e - r);
            extra += Math.max(0, r - e);
            reordered += c.reordered;
            dups += c.duplicates;
            errors += c.sysErrors;
        }
        return new Check(expected, received, lost, extra, reordered, dups, errors);
    }

    /** Expected deliveries for a tab subscribed to pipe indexes {@code c.pipeIdx}. */
    long expectedFor(Conn c) {
        long e = 0;
        if (c.pipeIdx == null) {
            return publishedPerTarget.get(0);
        }
        for (int idx : c.pipeIdx) {
            e += publishedPerTarget.get(idx);
        }
        return e;
    }

    Histogram latencySnapshot() {
        return latency.getIntervalHistogram();
    }
}

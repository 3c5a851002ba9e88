package io.comet.broker.redis;

import io.comet.core.PipeKey;
import io.comet.core.broker.BrokerNode;
import io.comet.core.broker.Member;
import io.lettuce.core.ScriptOutputType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipes this node listens to (docs/redis.md, "Fan-out"): a pipe's channel is subscribed
 * while the node has a session in it. Publications are handed from Lettuce's event loop to a
 * worker per pipe (hash of the pipe) and delivered there in offset order: a duplicate (offset
 * already delivered) is dropped, a gap is filled from the pipe's history stream before the
 * message goes on, and after every (re)subscription and every {@code syncInterval} the pipe's
 * position in Redis is compared with what was delivered, so a lost pub/sub message or a dropped
 * connection is caught up without the subscribers noticing. What cannot be caught up (history
 * trimmed or lost with a Redis restart) is reported to position-aware sessions as not recovered.
 */
final class PipeChannels implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("io.comet.broker.redis");
    private static final int PAGE = 500;

    /** One pipe this node listens to; the delivery fields belong to its worker. */
    static final class Pipe {
        final int devId;
        final String name;
        final String channel;
        final Map<Long, Member> sessions = new ConcurrentHashMap<>();
        volatile CompletableFuture<Void> ready = new CompletableFuture<>();
        volatile boolean confirmed;
        private boolean known;
        private String epoch;
        private long last;

        Pipe(int devId, String name, String channel) {
            this.devId = devId;
            this.name = name;
            this.channel = channel;
        }
    }

    private final RedisLink link;
    private final RedisKeys keys;
    private final String nodeId;
    private final long timeoutMs;
    private final ExecutorService[] workers;
    private final ConcurrentHashMap<PipeKey, Pipe> pipes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Pipe> byChannel = new ConcurrentHashMap<>();
    private final AtomicLong caughtUp = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile BrokerNode node;

    PipeChannels(RedisLink link, RedisKeys keys, String nodeId, RedisBrokerConfig config, int workerCount) {
        this.link = link;
        this.keys = keys;
        this.nodeId = nodeId;
        this.timeoutMs = config.commandTimeout().toMillis() + 1000;
        workers = new ExecutorService[workerCount];
        for (int i = 0; i < workerCount; i++) {
            String name = "comet-redis-pipes-" + i;
            workers[i] = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(65_536), r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
        }
    }

    void start(BrokerNode n) {
        this.node = n;
    }

    /** Publications fetched from history to fill gaps (all pipes). */
    long caughtUp() {
        return caughtUp.get();
    }

    /** Publications dropped because a worker queue was full (caught up later). */
    long dropped() {
        return dropped.get();
    }

    /** A session joined: the pipe's channel is subscribed on the first; completes once subscribed. */
    CompletableFuture<Void> join(int devId, String pipe, long sessionId, Member member) {
        Pipe[] out = new Pipe[1];
        pipes.compute(new PipeKey(devId, pipe), (k, p) -> {
            Pipe q = p != null ? p : new Pipe(devId, pipe, keys.pipeChannel(devId, pipe));
            if (q.sessions.isEmpty()) {
                byChannel.put(q.channel, q);
                subscribe(q);
            }
            q.sessions.put(sessionId, member);
            out[0] = q;
            return q;
        });
        return out[0].ready;
    }

    /** A session left: the channel is unsubscribed after the last. */
    void leave(int devId, String pipe, long sessionId) {
        pipes.compute(new PipeKey(devId, pipe), (k, p) -> {
            if (p == null || p.sessions.remove(sessionId) == null || !p.sessions.isEmpty()) {
                return p;
            }
            byChannel.remove(p.channel, p);
            link.pubsub().async().unsubscribe(p.channel);
            return null;
        });
    }

    /** The local sessions of a pipe (empty map when none). */
    Map<Long, Member> sessions(int devId, String pipe) {
        Pipe p = pipes.get(new PipeKey(devId, pipe));
        return p == null ? Map.of() : p.sessions;
    }

    /** Every pipe with local sessions (snapshot). */
    List<Pipe> all() {
        return List.copyOf(pipes.values());
    }

    /**
     * Reads the pipe's position first, then subscribes: publications after that position are the
     * node's to deliver (those published before the subscription is confirmed are caught up from
     * history by the sync that follows the confirmation); those before it are not.
     */
    private void subscribe(Pipe p) {
        CompletableFuture<Void> ready = p.ready;
        link.<List<Object>>eval("read", ScriptOutputType.MULTI,
                new String[] {keys.meta(p.devId, p.name), keys.stream(p.devId, p.name)}, "", "", "0")
                .whenComplete((r, err) -> {
                    if (r != null) {
                        submit(p, () -> baseline(p, (String) r.get(0), (Long) r.get(1)));
                    }
                    if (byChannel.get(p.channel) != p) {
                        ready.complete(null); // left meanwhile
                        return;
                    }
                    link.pubsub().async().subscribe(p.channel).whenComplete((v, e) -> {
                        p.confirmed = e == null;
                        if (e != null) {
                            log.warn("subscribe to {} failed, retried at the next sync: {}", p.channel, e.toString());
                        }
                        ready.complete(null);
                    });
                });
    }

    private static void baseline(Pipe p, String epoch, long top) {
        if (!p.known) {
            p.known = true;
            p.epoch = epoch.isEmpty() ? null : epoch;
            p.last = top;
        }
    }

    /** Lettuce confirmed a (re)subscription: compare the pipe's position with what was delivered. */
    void subscribed(String channel) {
        Pipe p = byChannel.get(channel);
        if (p != null) {
            p.confirmed = true;
            submit(p, () -> sync(p));
        }
    }

    /** A publication arrived on a channel (Lettuce's thread: only hand it over). */
    void received(String channel, String payload) {
        Pipe p = byChannel.get(channel);
        if (p != null) {
            submit(p, () -> onMessage(p, Envelope.Payload.parse(payload)));
        }
    }

    /** Every pipe with sessions subscribed again (on a new pub/sub connection); each then syncs. */
    void resubscribeAll() {
        for (Pipe p : pipes.values()) {
            if (!p.sessions.isEmpty()) {
                p.confirmed = false;
                subscribe(p);
            }
        }
    }

    /** Every pipe: re-subscribe where a subscription failed, compare positions (periodic). */
    void syncAll() {
        for (Pipe p : pipes.values()) {
            if (!p.confirmed && !p.sessions.isEmpty()) {
                subscribe(p);
            } else {
                submit(p, () -> sync(p));
            }
        }
    }

    private void submit(Pipe p, Runnable task) {
        ExecutorService w = workers[Math.floorMod(p.channel.hashCode(), workers.length)];
        try {
            w.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("pipe {} (dev {}): {}", p.name, p.devId, e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            dropped.incrementAndGet(); // the next message or sync of the pipe catches up from history
        }
    }

    private void onMessage(Pipe p, Envelope.Payload pl) {
        Envelope env = pl.envelope();
        long except = nodeId.equals(env.origin()) ? env.except() : 0;
        if (pl.epoch().isEmpty()) {
            node.deliver(p.devId, p.name, env.message(), except);
            return;
        }
        if (!p.known) {
            p.known = true;
            p.epoch = pl.epoch();
            p.last = pl.offset() - 1;
        }
        if (!pl.epoch().equals(p.epoch)) {
            if (p.epoch != null) {
                lost(p, pl.epoch(), 0);
            }
            p.epoch = pl.epoch();
            p.last = 0;
        }
        if (pl.offset() > p.last + 1) {
            catchUp(p, pl.offset() - 1);
        }
        if (pl.offset() > p.last) {
            node.deliver(p.devId, p.name, env.message().withPosition(pl.epoch(), pl.offset()), except);
            p.last = pl.offset();
        }
    }

    private void sync(Pipe p) {
        List<Object> r = read(p, 0, 0);
        String epoch = (String) r.get(0);
        long top = (Long) r.get(1);
        if (!p.known) {
            p.known = true;
            p.epoch = epoch.isEmpty() ? null : epoch;
            p.last = top;
            return;
        }
        if (epoch.isEmpty()) {
            if (p.epoch != null) {
                lost(p, "", 0);
                p.epoch = null;
                p.last = 0;
            }
            return;
        }
        if (!epoch.equals(p.epoch)) {
            if (p.epoch != null) {
                lost(p, epoch, 0);
            }
            p.epoch = epoch;
            p.last = 0;
        }
        if (top > p.last) {
            catchUp(p, top);
        }
    }

    /** Delivers offsets {@code last+1 .. upTo} from the history stream, or reports them lost. */
    private void catchUp(Pipe p, long upTo) {
        while (p.last < upTo) {
            long from = p.last + 1;
            List<Object> r;
            try {
                r = read(p, from, Math.min(upTo, from + PAGE - 1));
            } catch (RuntimeException e) {
                log.warn("pipe {} (dev {}): offsets {}..{} could not be read back: {}", p.name, p.devId, from, upTo,
                        e.toString());
                lost(p, p.epoch, upTo);
                p.last = upTo;
                return;
            }
            @SuppressWarnings("unchecked")
            List<Object> entries = (List<Object>) r.get(2);
            long expect = from;
            for (Object o : entries) {
                @SuppressWarnings("unchecked")
                List<Object> e = (List<Object>) o;
                long offset = Long.parseLong(((String) e.get(0)).split("-")[0]);
                if (offset != expect || !p.epoch.equals(r.get(0))) {
                    break;
                }
                @SuppressWarnings("unchecked")
                List<Object> fields = (List<Object>) e.get(1);
                Envelope env = Envelope.parse((String) fields.get(1));
                long except = nodeId.equals(env.origin()) ? env.except() : 0;
                node.deliver(p.devId, p.name, env.message().withPosition(p.epoch, offset), except);
                caughtUp.incrementAndGet();
                p.last = offset;
                expect++;
            }
            if (expect == from) { // nothing usable: trimmed, expired or another epoch
                log.warn("pipe {} (dev {}): offsets {}..{} are no longer in history, reported as not recovered",
                        p.name, p.devId, from, upTo);
                lost(p, p.epoch, upTo);
                p.last = upTo;
                return;
            }
        }
    }

    /** {@code read.lua}: position and the entries {@code from..to} (none when from is 0); blocks the worker. */
    private List<Object> read(Pipe p, long from, long to) {
        String first = from == 0 ? "" : from + "-0";
        try {
            return link.<List<Object>>eval("read", ScriptOutputType.MULTI,
                    new String[] {keys.meta(p.devId, p.name), keys.stream(p.devId, p.name)}, first, to + "-0",
                    String.valueOf(PAGE)).get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw RedisLink.unavailable(e.getCause() != null ? e.getCause() : e);
        }
    }

    private void lost(Pipe p, String epoch, long offset) {
        node.lost(p.devId, p.name, epoch == null ? "" : epoch, offset);
    }

    @Override
    public void close() {
        for (ExecutorService w : workers) {
            w.shutdownNow();
        }
    }
}

package io.comet.broker.redis;

import io.comet.core.Message;
import io.comet.core.broker.Broker;
import io.comet.core.broker.BrokerNode;
import io.comet.core.broker.Member;
import io.comet.core.broker.Publication;
import io.comet.core.history.Recovery;
import io.comet.core.history.StreamLog;
import io.comet.core.store.HistoryEntry;
import io.comet.core.store.StreamPosition;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Broker} of a deployment of several Comet nodes sharing one Redis (docs/redis.md).
 * A publish is one Lua script (idempotency, epoch, next offset, capped history stream, fan-out);
 * nodes listen to a pipe's channel only while they have a subscriber ({@link PipeChannels});
 * presence lives in Redis with node heartbeats ({@link NodePresence}); kicks, private messages
 * and cluster-wide counts go over a control channel ({@link Control}). Nothing here blocks a
 * caller: every method returns a future that fails within the command timeout when Redis
 * cannot be reached.
 * <pre>{@code
 * Broker broker = new RedisBroker(RedisBrokerConfig.builder("redis://127.0.0.1:6379").nodeName("node-a").build());
 * CometEngine engine = CometEngine.builder().broker(broker).build();
 * }</pre>
 */
public final class RedisBroker implements Broker {

    private static final Logger log = LoggerFactory.getLogger("io.comet.broker.redis");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PROBE = "probe";

    private final RedisBrokerConfig config;
    private final String nodeId;
    private final RedisKeys keys;
    private final ExecutorService callbacks;
    private final ScheduledExecutorService scheduler;
    private final RedisLink link;
    private final PipeChannels pipes;
    private final Control control;
    private final NodePresence presence;
    private volatile boolean closed;
    private volatile long lastPubSubMessage = System.nanoTime();
    private int silentProbes;

    /**
     * Connects to Redis (both connections).
     *
     * @throws IllegalStateException when Redis cannot be reached
     */
    public RedisBroker(RedisBrokerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.nodeId = config.nodeName() + "-" + randomText(6);
        this.keys = new RedisKeys(config.prefix());
        this.callbacks = Executors.newFixedThreadPool(2, daemon("comet-redis-callbacks"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("comet-redis-heartbeat"));
        RedisLink l;
        try {
            l = new RedisLink(config, new Listener(), callbacks);
        } catch (RuntimeException e) {
            callbacks.shutdownNow();
            scheduler.shutdownNow();
            throw e;
        }
        this.link = l;
        this.pipes = new PipeChannels(link, keys, nodeId, config, 2);
        this.control = new Control(link, keys, nodeId, config, callbacks);
        this.presence = new NodePresence(link, keys, nodeId, config, pipes);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static String randomText(int n) {
        String abc = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(abc.charAt(RANDOM.nextInt(abc.length())));
        }
        return sb.toString();
    }

    /** This node's id in Redis: {@code <nodeName>-<random>}, new for every broker. */
    public String nodeId() {
        return nodeId;
    }

    /** The connections (tests inject faults through them). */
    RedisLink link() {
        return link;
    }

    /** Publications this node fetched back from history to fill gaps in pub/sub delivery. */
    public long caughtUp() {
        return pipes.caughtUp();
    }

    private final class Listener extends RedisPubSubAdapter<String, String> {
        @Override
        public void message(String channel, String message) {
            lastPubSubMessage = System.nanoTime();
            if (PROBE.equals(message)) {
                return;
            }
            if (channel.equals(keys.control())) {
                control.request(message);
            } else if (channel.equals(keys.nodeChannel(nodeId))) {
                control.answered(message);
            } else {
                pipes.received(channel, message);
            }
        }

        @Override
        public void subscribed(String channel, long count) {
            pipes.subscribed(channel);
        }
    }

    @Override
    public void start(BrokerNode node) {
        Objects.requireNonNull(node, "node");
        pipes.start(node);
        control.start(node);
        presence.start(node);
        try {
            link.pubsub().async().subscribe(keys.control(), keys.nodeChannel(nodeId))
                    .get(config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Redis: could not subscribe the control channels: " + e, e);
        }
        presence.heartbeat();
        long hb = config.heartbeat().toMillis();
        scheduler.scheduleWithFixedDelay(this::tick, hb, hb, TimeUnit.MILLISECONDS);
        long sync = config.syncInterval().toMillis();
        scheduler.scheduleWithFixedDelay(pipes::syncAll, sync, sync, TimeUnit.MILLISECONDS);
        log.info("node {} joined the deployment on Redis {} (prefix {})", nodeId, RedisLink.safe(config.uri()),
                config.prefix());
    }

    private void tick() {
        try {
            presence.heartbeat();
            probe();
        } catch (RuntimeException e) {
            log.warn("heartbeat: {}", e.toString());
        }
    }

    /**
     * The pub/sub liveness probe (docs/redis.md, "Fan-out and catch-up"): each heartbeat the node
     * publishes a probe to its own channel. When Redis says nobody listens there, or nothing at all
     * arrived on the pub/sub connection for three heartbeats while commands work, twice in a row,
     * the connection has gone silent (TCP alive, subscriptions gone or not delivered): it is
     * replaced and every channel subscribed again, which catches the pipes up from history.
     */
    private void probe() {
        long receivers;
        try {
            receivers = link.async().publish(keys.nodeChannel(nodeId), PROBE)
                    .get(config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            silentProbes = 0; // Redis itself is unreachable: Lettuce reconnects, nothing to tell apart
            return;
        }
        boolean quiet = System.nanoTime() - lastPubSubMessage > config.heartbeat().multipliedBy(3).toNanos();
        silentProbes = receivers == 0 || quiet ? silentProbes + 1 : 0;
        if (silentProbes < 2) {
            return;
        }
        silentProbes = 0;
        log.warn("node {}: the pub/sub connection went silent ({} listener(s) of the probe); replacing it", nodeId,
                receivers);
        try {
            link.replacePubSub();
            link.pubsub().async().subscribe(keys.control(), keys.nodeChannel(nodeId))
                    .get(config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
            lastPubSubMessage = System.nanoTime();
            pipes.resubscribeAll();
        } catch (Exception e) {
            log.warn("node {}: could not replace the pub/sub connection: {}", nodeId, e.toString());
        }
    }

    @Override
    public CompletableFuture<Publication> publish(int devId, String pipe, Message message, int keep,
                                                  long exceptSessionId) {
        return publish(devId, pipe, message, keep, exceptSessionId, UUID.randomUUID().toString());
    }

    /** {@link #publish} with the publication's id given: a second publish with the same id is applied at most once. */
    CompletableFuture<Publication> publish(int devId, String pipe, Message message, int keep, long exceptSessionId,
                                           String id) {
        String json = new Envelope(devId, nodeId, exceptSessionId, id, message).json();
        String channel = keys.pipeChannel(devId, pipe);
        if (keep < 0) {
            return link.<Long>eval("publish_plain", ScriptOutputType.INTEGER, new String[] {keys.counts(devId, pipe)},
                    channel, json).thenApply(n -> new Publication(null, 0, copies(devId, pipe, n, exceptSessionId)));
        }
        Objects.requireNonNull(message.text(), "text");
        int max = keep == 0 ? config.historyCap() : Math.min(keep, config.historyCap());
        return link.<List<Object>>eval("publish", ScriptOutputType.MULTI,
                new String[] {keys.meta(devId, pipe), keys.stream(devId, pipe), keys.applied(devId, pipe, id),
                        keys.counts(devId, pipe)},
                randomText(8), String.valueOf(max), json, channel, String.valueOf(config.idempotencyTtl().toSeconds()),
                String.valueOf(config.historyTtl().toSeconds()))
                .thenApply(r -> new Publication((String) r.get(0), (Long) r.get(1),
                        copies(devId, pipe, (Long) r.get(2), exceptSessionId)));
    }

    /** Subscribers counted in Redis at the publish, less the excluded session when it is one of them. */
    private int copies(int devId, String pipe, long counted, long exceptSessionId) {
        long n = counted;
        if (exceptSessionId != 0 && pipes.sessions(devId, pipe).containsKey(exceptSessionId)) {
            n--;
        }
        return (int) Math.max(0, n);
    }

    private CompletableFuture<List<Object>> read(int devId, String pipe, String from, String to, int count) {
        return link.eval("read", ScriptOutputType.MULTI, new String[] {keys.meta(devId, pipe), keys.stream(devId, pipe)},
                from, to, String.valueOf(count));
    }

    @SuppressWarnings("unchecked")
    private static List<HistoryEntry> entries(Object raw) {
        List<HistoryEntry> out = new ArrayList<>();
        for (Object o : (List<Object>) raw) {
            List<Object> e = (List<Object>) o;
            long offset = Long.parseLong(((String) e.get(0)).split("-")[0]);
            out.add(Envelope.parse((String) ((List<Object>) e.get(1)).get(1)).entry(offset));
        }
        return out;
    }

    @Override
    public CompletableFuture<Recovery> recover(int devId, String pipe, String epoch, long offset, int limit) {
        if (offset < 0) {
            return position(devId, pipe).thenApply(p -> Recovery.lost(p.map(StreamPosition::epoch).orElse(""),
                    p.map(StreamPosition::offset).orElse(0L)));
        }
        return read(devId, pipe, (offset + 1) + "-0", "+", limit + 1).thenApply(r -> {
            String now = (String) r.get(0);
            long last = (Long) r.get(1);
            if (now.isEmpty() || !now.equals(epoch) || offset > last || last - offset > limit) {
                return Recovery.lost(now, last);
            }
            List<HistoryEntry> list = entries(r.get(2));
            long expect = offset + 1;
            for (HistoryEntry e : list) {
                if (e.offset() != expect) {
                    return Recovery.lost(now, last);
                }
                expect++;
            }
            return expect - 1 == last ? new Recovery(true, now, last, list) : Recovery.lost(now, last);
        });
    }

    @Override
    public CompletableFuture<StreamLog.Page> history(int devId, String pipe, int limit) {
        return read(devId, pipe, "-", "+", Math.max(1, limit))
                .thenApply(r -> new StreamLog.Page((String) r.get(0), limit <= 0 ? List.of() : entries(r.get(2))));
    }

    @Override
    public CompletableFuture<Optional<StreamPosition>> position(int devId, String pipe) {
        return read(devId, pipe, "", "", 0).thenApply(r -> ((String) r.get(0)).isEmpty() ? Optional.empty()
                : Optional.of(new StreamPosition((String) r.get(0), (Long) r.get(1))));
    }

    @Override
    public CompletableFuture<Void> dropHistory(int devId, String pipe) {
        return link.call(link.async().del(keys.meta(devId, pipe), keys.stream(devId, pipe))).thenApply(n -> null);
    }

    @Override
    public void forgetHistory(int devId, String pipe) {
        dropHistory(devId, pipe).exceptionally(e -> {
            log.warn("could not delete the history of pipe {} (dev {}): {}", pipe, devId, e.toString());
            return null;
        });
    }

    @Override
    public CompletableFuture<Integer> sendPrivate(int devId, long userId, Message message) {
        String m = new Envelope(devId, nodeId, 0, "", message).json();
        return control.ask("op", "priv", "dev", devId, "uid", userId, "m", m).thenApply(Control::sum);
    }

    @Override
    public CompletableFuture<Boolean> userConnected(int devId, long userId) {
        return presence.userConnected(devId, userId);
    }

    @Override
    public CompletableFuture<Boolean> userDisconnected(int devId, long userId) {
        return presence.userDisconnected(devId, userId);
    }

    @Override
    public CompletableFuture<Boolean> isOnline(int devId, long userId) {
        return presence.isOnline(devId, userId);
    }

    @Override
    public CompletableFuture<Integer> subscriberCount(int devId, String pipe) {
        return control.ask("op", "count", "dev", devId, "pipe", pipe).thenApply(Control::sum);
    }

    @Override
    public CompletableFuture<List<Member>> members(int devId, String pipe) {
        return control.ask("op", "members", "dev", devId, "pipe", pipe).thenApply(Control::members);
    }

    @Override
    public CompletableFuture<Integer> kick(int devId, long userId) {
        return control.ask("op", "kick", "dev", devId, "uid", userId).thenApply(Control::sum);
    }

    @Override
    public CompletableFuture<Void> joined(int devId, String pipe, long sessionId, Member member) {
        presence.joined(devId, pipe, sessionId, member);
        return pipes.join(devId, pipe, sessionId, member);
    }

    @Override
    public void left(int devId, String pipe, long sessionId) {
        pipes.leave(devId, pipe, sessionId);
        presence.left(devId, pipe, sessionId);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.shutdownNow();
        presence.leave();
        pipes.close();
        link.close();
        callbacks.shutdownNow();
        log.info("node {} left the deployment", nodeId);
    }
}

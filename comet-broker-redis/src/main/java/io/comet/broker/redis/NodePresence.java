package io.comet.broker.redis;

import io.comet.core.Rules;
import io.comet.core.UserKey;
import io.comet.core.broker.BrokerNode;
import io.comet.core.broker.Member;
import io.lettuce.core.ScriptOutputType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this node holds, as the other nodes see it in Redis (docs/redis.md, "Presence and node
 * loss"): users online here, subscriber counts per pipe, {@code track_*} members, and a node
 * heartbeat. A node whose heartbeat is older than {@code nodeTimeout} is lost: the first node to
 * notice removes its entries in one script ({@code reap.lua}), which makes each removal and its
 * offline/leave event happen exactly once. A node only does that after it has itself been
 * connected for a whole {@code nodeTimeout} (so an outage of its own is not taken for everybody
 * else's). A node that finds its own entry gone registers everything again: loudly (online and
 * join events) when another node had reaped it, silently when Redis lost the data.
 */
final class NodePresence {

    private static final Logger log = LoggerFactory.getLogger("io.comet.broker.redis");

    private final RedisLink link;
    private final RedisKeys keys;
    private final String nodeId;
    private final RedisBrokerConfig config;
    private final PipeChannels pipes;
    private final Set<UserKey> users = ConcurrentHashMap.newKeySet();
    private volatile BrokerNode node;
    private long lastOk = -1;
    private long streakStart = -1;
    private boolean registered;
    private volatile boolean stale;

    NodePresence(RedisLink link, RedisKeys keys, String nodeId, RedisBrokerConfig config, PipeChannels pipes) {
        this.link = link;
        this.keys = keys;
        this.nodeId = nodeId;
        this.config = config;
        this.pipes = pipes;
    }

    void start(BrokerNode n) {
        this.node = n;
    }

    private String[] userKeys(int devId, long userId) {
        return new String[] {keys.userNodes(devId, userId), keys.nodeUsers(nodeId)};
    }

    CompletableFuture<Boolean> userConnected(int devId, long userId) {
        users.add(new UserKey(devId, userId));
        return link.<Long>eval("user_add", ScriptOutputType.INTEGER, userKeys(devId, userId), nodeId)
                .whenComplete((v, e) -> warn(e, "user " + userId)).thenApply(n -> n == 1);
    }

    CompletableFuture<Boolean> userDisconnected(int devId, long userId) {
        users.remove(new UserKey(devId, userId));
        return link.<Long>eval("user_remove", ScriptOutputType.INTEGER, userKeys(devId, userId), nodeId)
                .whenComplete((v, e) -> warn(e, "user " + userId)).thenApply(n -> n == 1);
    }

    CompletableFuture<Boolean> isOnline(int devId, long userId) {
        return link.call(link.async().exists(keys.userNodes(devId, userId))).thenApply(n -> n > 0);
    }

    /** A session joined a pipe: this node's count (and the member of a track_* pipe) in Redis. */
    void joined(int devId, String pipe, long sessionId, Member member) {
        count(devId, pipe, 1, false);
        if (Rules.isTrackPipe(pipe)) {
            member(devId, pipe, sessionId, Envelope.memberJson(devId, pipe, member));
        }
    }

    void left(int devId, String pipe, long sessionId) {
        count(devId, pipe, -1, false);
        if (Rules.isTrackPipe(pipe)) {
            member(devId, pipe, sessionId, "");
        }
    }

    private CompletableFuture<Long> count(int devId, String pipe, long n, boolean set) {
        return link.<Long>eval("count", ScriptOutputType.INTEGER,
                new String[] {keys.counts(devId, pipe), keys.nodeCounts(nodeId)}, nodeId, String.valueOf(n),
                set ? "1" : "0").whenComplete((v, e) -> warn(e, "subscriber count of " + pipe));
    }

    private CompletableFuture<Long> member(int devId, String pipe, long sessionId, String json) {
        return link.<Long>eval("member", ScriptOutputType.INTEGER,
                new String[] {keys.members(devId, pipe, nodeId), keys.nodeMembers(nodeId)}, nodeId,
                String.valueOf(sessionId), json).whenComplete((v, e) -> warn(e, "member of " + pipe));
    }

    private void warn(Throwable e, String what) {
        if (e != null) {
            stale = true; // Redis misses a change: rewritten from this node's state at the next heartbeat
            log.warn("could not record the {} in Redis: {}", what, e.toString());
        }
    }

    /** One heartbeat (the scheduler's thread; blocks at most one command timeout). */
    void heartbeat() {
        List<Object> r;
        try {
            r = link.<List<Object>>eval("heartbeat", ScriptOutputType.MULTI,
                    new String[] {keys.nodes(), keys.reaped(nodeId)}, nodeId,
                    String.valueOf(config.nodeTimeout().toMillis())).get(timeoutMs(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            lastOk = -1;
            log.debug("heartbeat failed: {}", e.toString());
            return;
        }
        long now = System.nanoTime();
        if (lastOk < 0 || now - lastOk > config.nodeTimeout().toNanos() / 2) {
            streakStart = now;
        }
        lastOk = now;
        if ((Long) r.get(0) == 0 && registered) {
            register((Long) r.get(1) == 1);
        } else if (stale) { // a write failed during an outage: this node's entries are rewritten, silently
            stale = false;
            reap(nodeId, true);
            register(false);
        }
        registered = true;
        if (now - streakStart < config.nodeTimeout().toNanos()) {
            return; // not connected long enough to tell a lost node from an outage of our own
        }
        for (Object dead : r.subList(2, r.size())) {
            if (!nodeId.equals(dead)) {
                reap((String) dead, false);
            }
        }
    }

    private long timeoutMs() {
        return config.commandTimeout().toMillis() + 1000;
    }

    /** Writes everything this node holds again; {@code loud}: tell the watchers (it had been reported gone). */
    private void register(boolean loud) {
        log.info("node {} registers its {} users and {} pipes again ({})", nodeId, users.size(), pipes.all().size(),
                loud ? "another node had taken it for lost" : "Redis had lost them");
        for (UserKey u : users) {
            link.<Long>eval("user_add", ScriptOutputType.INTEGER, userKeys(u.devId(), u.userId()), nodeId)
                    .thenAccept(n -> {
                        if (loud && n == 1) {
                            node.userBack(u.devId(), u.userId());
                        }
                    }).whenComplete((v, e) -> warn(e, "user " + u.userId()));
        }
        for (PipeChannels.Pipe p : pipes.all()) {
            count(p.devId, p.name, p.sessions.size(), true);
            if (Rules.isTrackPipe(p.name)) {
                for (Map.Entry<Long, Member> s : p.sessions.entrySet()) {
                    member(p.devId, p.name, s.getKey(), Envelope.memberJson(p.devId, p.name, s.getValue()))
                            .thenAccept(n -> {
                                if (loud && n == 1) {
                                    node.memberBack(p.devId, p.name, s.getValue());
                                }
                            });
                }
            }
        }
    }

    /** Removes a lost node's entries and tells the watchers (exactly once cluster-wide). */
    private void reap(String dead, boolean leaving) {
        List<Object> events;
        try {
            events = link.<List<Object>>eval("reap", ScriptOutputType.MULTI,
                    new String[] {keys.nodes(), keys.nodeUsers(dead), keys.nodeCounts(dead), keys.nodeMembers(dead),
                            keys.reaped(dead)}, dead, String.valueOf(config.nodeTimeout().toMillis()),
                    leaving ? "1" : "0").get(timeoutMs(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("could not remove the entries of node {}: {}", dead, e.toString());
            return;
        }
        if (!leaving && !events.isEmpty()) {
            log.info("node {} is lost: {} users offline, its members leave", dead, events.size() / 2);
        }
        for (int i = 0; i + 1 < events.size(); i += 2) {
            String what = (String) events.get(i);
            String value = (String) events.get(i + 1);
            if (leaving) {
                continue;
            }
            if ("u".equals(what)) {
                UserKey u = keys.userOf(value);
                node.userGone(u.devId(), u.userId());
            } else {
                Map<String, Object> m = Envelope.object(value);
                node.memberGone(((Number) m.get("dev")).intValue(), (String) m.get("pipe"), Envelope.member(m));
            }
        }
    }

    /** This node leaves cleanly: its entries are removed without events (its sessions closed before). */
    void leave() {
        reap(nodeId, true);
    }
}

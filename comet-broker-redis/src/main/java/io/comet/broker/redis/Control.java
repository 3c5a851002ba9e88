package io.comet.broker.redis;

import io.comet.core.broker.BrokerNode;
import io.comet.core.broker.Member;
import io.comet.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests every node answers (docs/redis.md, "Control"): kick a user, deliver a private
 * message, count or list a pipe's subscribers. A request is published on the control channel;
 * {@code PUBLISH} tells how many nodes got it, each answers on the asking node's own channel,
 * and the survey completes when all have answered, or after {@code surveyTimeout} with the
 * answers it has (a node that went silent is not waited for longer).
 */
final class Control {

    private static final Logger log = LoggerFactory.getLogger("io.comet.broker.redis");

    private final RedisLink link;
    private final RedisKeys keys;
    private final String nodeId;
    private final long timeoutMs;
    private final Executor callbacks;
    private final AtomicLong seq = new AtomicLong();
    private final ConcurrentHashMap<String, Survey> open = new ConcurrentHashMap<>();
    private volatile BrokerNode node;

    private static final class Survey {
        final CompletableFuture<List<Map<String, Object>>> done = new CompletableFuture<>();
        final List<Map<String, Object>> answers = new CopyOnWriteArrayList<>();
        volatile long expected = -1;

        synchronized void check() {
            if (expected >= 0 && answers.size() >= expected) {
                done.complete(List.copyOf(answers));
            }
        }
    }

    Control(RedisLink link, RedisKeys keys, String nodeId, RedisBrokerConfig config, Executor callbacks) {
        this.link = link;
        this.keys = keys;
        this.nodeId = nodeId;
        this.timeoutMs = config.surveyTimeout().toMillis();
        this.callbacks = callbacks;
    }

    void start(BrokerNode n) {
        this.node = n;
    }

    /** Asks every node; completes with the answers received in time. */
    CompletableFuture<List<Map<String, Object>>> ask(Object... request) {
        String id = nodeId + ":" + seq.incrementAndGet();
        Survey s = new Survey();
        open.put(id, s);
        Object[] kv = new Object[request.length + 4];
        System.arraycopy(request, 0, kv, 0, request.length);
        kv[request.length] = "id";
        kv[request.length + 1] = id;
        kv[request.length + 2] = "from";
        kv[request.length + 3] = nodeId;
        link.call(link.async().publish(keys.control(), Json.write(Json.object(kv)))).whenComplete((n, e) -> {
            if (e != null) {
                s.done.completeExceptionally(e);
            } else {
                s.expected = n;
                s.check();
            }
        });
        return s.done.completeOnTimeout(null, timeoutMs, TimeUnit.MILLISECONDS).thenApplyAsync(v -> {
            open.remove(id);
            if (v == null) {
                log.debug("survey {} answered by {} of {} nodes in time", id, s.answers.size(), s.expected);
                return List.copyOf(s.answers);
            }
            return v;
        }, callbacks);
    }

    /** Sum of the answers' {@code n}. */
    static int sum(List<Map<String, Object>> answers) {
        int n = 0;
        for (Map<String, Object> a : answers) {
            n += ((Number) a.get("n")).intValue();
        }
        return n;
    }

    /** Every member listed in the answers. */
    static List<Member> members(List<Map<String, Object>> answers) {
        List<Member> out = new ArrayList<>();
        for (Map<String, Object> a : answers) {
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) a.get("list");
            for (Object o : list) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) o;
                out.add(Envelope.member(m));
            }
        }
        return out;
    }

    /** A request on the control channel (Lettuce's thread: handed over). */
    void request(String json) {
        callbacks.execute(() -> {
            try {
                answer(Envelope.object(json));
            } catch (RuntimeException e) {
                log.warn("bad control request {}: {}", json.length() > 200 ? json.substring(0, 200) : json, e.toString());
            }
        });
    }

    private void answer(Map<String, Object> r) {
        BrokerNode n = node;
        String from = (String) r.get("from");
        int dev = ((Number) r.get("dev")).intValue();
        Object value;
        switch ((String) r.get("op")) {
            case "kick" -> value = n.kick(dev, ((Number) r.get("uid")).longValue());
            case "priv" -> value = from.equals(nodeId) ? 0
                    : n.deliverPrivate(dev, ((Number) r.get("uid")).longValue(), Envelope.parse((String) r.get("m")).message());
            case "count" -> value = n.localSubscribers(dev, (String) r.get("pipe"));
            case "members" -> {
                List<Object> list = new ArrayList<>();
                String pipe = (String) r.get("pipe");
                for (Member m : n.localMembers(dev, pipe)) {
                    list.add(Envelope.object(Envelope.memberJson(dev, pipe, m)));
                }
                value = list;
            }
            default -> throw new IllegalArgumentException("unknown op " + r.get("op"));
        }
        Map<String, Object> reply = value instanceof List<?> l ? Json.object("re", r.get("id"), "list", l, "n", l.size())
                : Json.object("re", r.get("id"), "n", value);
        link.async().publish(keys.nodeChannel(from), Json.write(reply));
    }

    /** An answer on this node's channel (Lettuce's thread). */
    void answered(String json) {
        Map<String, Object> a = Envelope.object(json);
        Survey s = open.get((String) a.get("re"));
        if (s != null) {
            s.answers.add(a);
            s.check();
        }
    }
}

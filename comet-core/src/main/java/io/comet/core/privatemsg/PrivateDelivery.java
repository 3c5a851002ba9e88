package io.comet.core.privatemsg;

import io.comet.core.Message;
import io.comet.core.Names;
import io.comet.core.Session;
import io.comet.core.UserKey;
import io.comet.core.broker.Broker;
import io.comet.core.context.EngineContext;
import io.comet.core.session.SessionRegistry;
import io.comet.core.session.UserSessions;
import io.comet.core.store.QueuedMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Private messages ({@code msg}, docs/client-protocol.md §4.7, docs/cometql.md §3.7): delivered to
 * every receiving session of the user on any node, or queued durably when none takes it; a
 * session that registers gets the queue first (oldest first, {@code fromQueue}) and live
 * messages after, in order. Deciding "queue" and registering a receiver happen under the user's
 * lock, so a message is never both missed live and left out of a replay.
 */
public final class PrivateDelivery {

    /** Pseudo-pipe of private messages. */
    public static final String MSG_PIPE = "msg";

    private static final Logger log = LoggerFactory.getLogger("io.comet.core.private");

    private final EngineContext ctx;
    private final SessionRegistry registry;
    private final Broker broker;
    private final ConcurrentHashMap<UserKey, CompletableFuture<Void>> pendingEnqueues = new ConcurrentHashMap<>();

    /** Private delivery over the node's sessions and the broker. */
    public PrivateDelivery(EngineContext ctx, SessionRegistry registry, Broker broker) {
        this.ctx = ctx;
        this.registry = registry;
        this.broker = broker;
    }

    /** A session added to its user: whether it is the user's first on this node, and when its queue replay ends. */
    public record Attached(boolean first, CompletableFuture<Void> replayed) {
    }

    /** Adds an authenticated session to its user and, when it receives private messages, replays the queue to it. */
    public Attached attach(Session session) {
        UserKey key = new UserKey(session.devId(), session.userId());
        @SuppressWarnings("unchecked")
        CompletableFuture<Void>[] pending = new CompletableFuture[1];
        boolean first = registry.addToUser(session, s -> {
            if (s.isPrivateReceiver()) {
                s.startReplay();
            }
            pending[0] = pendingEnqueues.get(key);
        });
        if (!session.isPrivateReceiver()) {
            return new Attached(first, CompletableFuture.completedFuture(null));
        }
        CompletableFuture<?> before = pending[0] == null ? CompletableFuture.completedFuture(null)
                : pending[0].exceptionally(e -> null);
        return new Attached(first, before.thenCompose(v -> replay(session)).handle((v, err) -> {
            if (err != null) {
                log.warn("offline queue replay failed for user {} (dev {}): {}", session.userId(), session.devId(),
                        err.toString());
            }
            session.endReplay();
            return null;
        }));
    }

    private CompletableFuture<Void> replay(Session session) {
        int devId = session.devId();
        long userId = session.userId();
        return ctx.store().queued(devId, userId, ctx.config().maxQueuedMessagesPerUser()).thenCompose(queued -> {
            List<String> sent = new ArrayList<>(queued.size());
            for (QueuedMessage q : queued) {
                if (session.send(Message.of(MSG_PIPE, q.event(), q.text(), null, null, q.time(), true, null))) {
                    sent.add(q.id());
                }
            }
            ctx.stats().delivered(sent.size());
            return sent.isEmpty() ? CompletableFuture.completedFuture(null)
                    : ctx.store().deleteQueued(devId, userId, sent);
        });
    }

    /**
     * Sends a private message to every receiving session of the user; when none takes it, queues
     * it durably. Completes with the live copies (0 = queued) once a queued message is durable.
     */
    public CompletableFuture<Integer> send(int devId, long userId, String event, String text) {
        ctx.rules().checkDev(devId);
        Names.checkUserId(userId, true);
        ctx.rules().checkEvent(event);
        ctx.rules().checkText(text);
        ctx.stats().published();
        Message m = Message.of(MSG_PIPE, event, text, null, null, 0, false, null);
        int local = deliverLocal(devId, userId, m);
        if (local > 0) {
            return CompletableFuture.completedFuture(local);
        }
        return broker.sendPrivate(devId, userId, m)
                .thenCompose(remote -> remote > 0 ? CompletableFuture.completedFuture(remote)
                        : deliverOrQueue(devId, userId, m));
    }

    /** Delivers to this node's receivers of the user; returns the copies accepted. */
    public int deliverLocal(int devId, long userId, Message m) {
        int n = registry.withUser(new UserKey(devId, userId), u -> deliverTo(u, m));
        ctx.stats().delivered(n);
        return n;
    }

    private static int deliverTo(UserSessions u, Message m) {
        int n = 0;
        if (u != null) {
            for (Session s : u.receivers()) {
                if (s.deliverPrivate(m)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Under the user's lock: a receiver that registered meanwhile takes it, else it is queued. */
    private CompletableFuture<Integer> deliverOrQueue(int devId, long userId, Message m) {
        UserKey key = new UserKey(devId, userId);
        CompletableFuture<Integer> out = registry.withUser(key, u -> {
            int n = deliverTo(u, m);
            if (n > 0) {
                return CompletableFuture.completedFuture(n);
            }
            QueuedMessage q = new QueuedMessage(UUID.randomUUID().toString(), ctx.nowSeconds(), m.event(), m.text());
            CompletableFuture<Void> prev = pendingEnqueues.get(key);
            CompletableFuture<Void> write = (prev == null ? CompletableFuture.<Void>completedFuture(null)
                    : prev.exceptionally(e -> null))
                    .thenCompose(v -> ctx.store().enqueue(devId, userId, q, ctx.config().maxQueuedMessagesPerUser()));
            pendingEnqueues.put(key, write);
            write.whenComplete((v, e) -> pendingEnqueues.remove(key, write));
            return write.thenApply(v -> 0);
        });
        return out;
    }
}

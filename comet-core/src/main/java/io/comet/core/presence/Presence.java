package io.comet.core.presence;

import io.comet.core.Message;
import io.comet.core.Rules;
import io.comet.core.Session;
import io.comet.core.broker.Broker;
import io.comet.core.context.EngineContext;
import io.comet.core.history.HistorySettings;
import io.comet.core.json.Json;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is online and who is in which {@code track_*} pipe, told to the subscribers who watch:
 * {@code user_status_N} {@code online}/{@code offline} once per user however many sessions and
 * nodes (docs/client-protocol.md §4.8), {@code track_*} {@code subscription}/{@code unsubscription}
 * events (§4.9), and {@code users_time} (last seen, docs/cometql.md §3.6).
 */
public final class Presence {

    private static final Logger log = LoggerFactory.getLogger("io.comet.core.presence");

    private final EngineContext ctx;
    private final Broker broker;

    /** Presence told through {@code broker}. */
    public Presence(EngineContext ctx, Broker broker) {
        this.ctx = ctx;
        this.broker = broker;
    }

    /** The user's first session on this node opened. */
    public void firstSession(int devId, long userId) {
        broker.userConnected(devId, userId).thenAccept(first -> {
            if (first && ctx.config().sendUserOnlineEvents()) {
                status(devId, userId, "online");
            }
        }).exceptionally(e -> failed("online", userId, e));
    }

    /** The user's last session on this node closed. */
    public void lastSession(int devId, long userId) {
        if (ctx.config().saveUsersLastOnlineTime()) {
            ctx.store().putLastSeen(devId, userId, ctx.nowSeconds()).exceptionally(e -> failed("last-seen", userId, e));
        }
        broker.userDisconnected(devId, userId).thenAccept(last -> {
            if (last && ctx.config().sendUserOfflineEvents()) {
                status(devId, userId, "offline");
            }
        }).exceptionally(e -> failed("offline", userId, e));
    }

    /** The broker found the user has no session left anywhere (his node was lost): offline, and last seen now. */
    public void lostEverywhere(int devId, long userId) {
        if (ctx.config().saveUsersLastOnlineTime()) {
            ctx.store().putLastSeen(devId, userId, ctx.nowSeconds()).exceptionally(e -> failed("last-seen", userId, e));
        }
        if (ctx.config().sendUserOfflineEvents()) {
            status(devId, userId, "offline");
        }
    }

    /** A user of this node that the broker had reported gone is online again. */
    public void backOnline(int devId, long userId) {
        if (ctx.config().sendUserOnlineEvents()) {
            status(devId, userId, "online");
        }
    }

    private void status(int devId, long userId, String what) {
        String pipe = Rules.userStatusPipe(userId);
        broker.publish(devId, pipe, Message.of(pipe, what, what, null, null, 0, false, null), HistorySettings.NONE, 0);
    }

    private Void failed(String what, long userId, Throwable e) {
        log.warn("could not record {} of user {}: {}", what, userId, e.toString());
        return null;
    }

    /** {@code session} joined {@code pipe}: on {@code track_*} pipes the other members are told. */
    public void joined(Session session, String pipe) {
        if (Rules.isTrackPipe(pipe)) {
            track(session, pipe, "subscription");
        }
    }

    /** {@code session} left {@code pipe}: on {@code track_*} pipes the remaining members are told. */
    public void left(Session session, String pipe) {
        if (Rules.isTrackPipe(pipe)) {
            track(session, pipe, "unsubscription");
        }
    }

    private void track(Session who, String pipe, String event) {
        track(who.devId(), pipe, event, who.userId(), who.uuid(), who.id());
    }

    /**
     * A member of {@code pipe} on another node came or went as the broker saw it (a lost node's
     * members leave, a node taken for lost rejoins): {@code event} is {@code subscription} or
     * {@code unsubscription}.
     */
    public void tracked(int devId, String pipe, String event, long userId, String uuid) {
        if (Rules.isTrackPipe(pipe)) {
            track(devId, pipe, event, userId, uuid, 0);
        }
    }

    private void track(int devId, String pipe, String event, long userId, String uuid, long except) {
        Message m = Message.of(pipe, event, Json.object("user_id", userId, "uuid", uuid), null, null,
                ctx.nowSeconds(), false, null);
        broker.publish(devId, pipe, m, HistorySettings.NONE, except);
    }

    /**
     * {@code users_time} (docs/cometql.md §3.6): 0 while online, -1 when unknown, else the unix time
     * of the last disconnect (a stored 0 is reported as -1).
     */
    public CompletableFuture<Long> lastSeen(int devId, long userId) {
        if (userId <= 0) {
            return CompletableFuture.completedFuture(-1L);
        }
        return broker.isOnline(devId, userId).thenCompose(online -> online ? CompletableFuture.completedFuture(0L)
                : ctx.store().lastSeen(devId, userId).thenApply(t -> t == null || t <= 0 ? -1L : t));
    }
}

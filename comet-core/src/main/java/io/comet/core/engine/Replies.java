package io.comet.core.engine;

import io.comet.core.CometException;
import io.comet.core.ErrorCode;
import io.comet.core.InvalidNameException;
import io.comet.core.Message;
import io.comet.core.Rules;
import io.comet.core.Session;
import io.comet.core.broker.Broker;
import io.comet.core.broker.Member;
import io.comet.core.context.EngineContext;
import io.comet.core.json.Json;
import io.comet.core.presence.Presence;
import io.comet.core.store.HistoryEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Browser requests that get a reply (client-protocol.md §2.5–§2.10): {@code pipe_log},
 * {@code pipe_count}, {@code track_pipe_users}, {@code user_data}, {@code user_status}.
 */
final class Replies {

    private final EngineContext ctx;
    private final Broker broker;
    private final Presence presence;

    Replies(EngineContext ctx, Broker broker, Presence presence) {
        this.ctx = ctx;
        this.broker = broker;
        this.presence = presence;
    }

    /** {@code pipe_log}: the oldest stored messages to the requester only, if it may read the pipe. */
    CompletableFuture<Integer> pipeLog(Session session, String pipe) {
        if (!ctx.rules().isCommandPipe(pipe)) {
            throw new InvalidNameException(ErrorCode.INVALID_DATA, "Invalid channel name.");
        }
        if (!ctx.rules().mayRead(session, pipe)) {
            return CompletableFuture.completedFuture(0); // as a refused subscription: silently nothing
        }
        return broker.history(session.devId(), pipe, ctx.config().historyReplayLimit()).thenApply(page -> {
            int n = 0;
            for (HistoryEntry e : page.entries()) {
                Message m = Message.of(e.pipe(), e.event(), e.text(), e.userId(), null, e.time(), true, null);
                if (session.send(e.offset() > 0 && !page.epoch().isEmpty() ? m.withPosition(page.epoch(), e.offset()) : m)) {
                    n++;
                }
            }
            return n;
        });
    }

    CompletableFuture<Integer> pipeCount(Session session, String pipe, String marker) {
        if (!ctx.rules().isCommandPipe(pipe)) {
            throw new InvalidNameException(ErrorCode.INVALID_DATA, "Invalid pipe name.");
        }
        if (!pipe.startsWith("web_") && !Rules.isTrackPipe(pipe)) {
            throw new CometException(ErrorCode.INVALID_DATA,
                    "[pipe_count] Invalid channel name. The channel should start with web_");
        }
        if (!ctx.rules().mayRead(session, pipe)) {
            throw new io.comet.core.AccessDeniedException(ErrorCode.INVALID_DATA, "[pipe_count] Access denied");
        }
        return broker.subscriberCount(session.devId(), pipe).thenApply(n -> {
            Object data = ctx.config().pipeCountAsObject() ? Json.object("user_in_pipe", n) : List.of("user_in_pipe", n);
            session.send(Message.of("_answer_pipe_count", "user_in_pipe", data, null, marker, ctx.nowSeconds(), false,
                    null));
            return n;
        });
    }

    CompletableFuture<Integer> trackPipeUsers(Session session, String pipe, String marker) {
        if (pipe == null || !Rules.isTrackPipe(pipe) || !ctx.rules().isCommandPipe(pipe)) {
            throw new CometException(ErrorCode.INVALID_DATA,
                    "[track_pipe_users] Invalid channel name. The channel should start with track_");
        }
        if (!ctx.rules().mayRead(session, pipe)) {
            throw new io.comet.core.AccessDeniedException(ErrorCode.INVALID_DATA, "[track_pipe_users] Access denied");
        }
        return broker.members(session.devId(), pipe).thenApply(members -> {
            List<Object> list = new ArrayList<>(members.size());
            for (Member m : members) {
                list.add(Json.object("user_id", m.userId(), "uuid", m.uuid()));
            }
            session.send(Message.of("_answer", "answer", list, null, marker, ctx.nowSeconds(), false,
                    Json.object("_info", "answer for track_pipe_users")));
            return list.size();
        });
    }

    CompletableFuture<Void> userData(Session session, String marker, long userId) {
        if (userId <= 0) {
            throw new CometException(ErrorCode.INVALID_DATA, "Invalid user id");
        }
        return ctx.store().userData(session.devId(), userId).thenAccept(d -> session.send(Message.of("_answer", "answer",
                Json.object("user_data", d.orElse(""), "user_id", userId), null, marker, ctx.nowSeconds(), false, null)));
    }

    CompletableFuture<Void> userStatus(Session session, long userId) {
        return presence.lastSeen(session.devId(), userId).thenAccept(t -> {
            long now = ctx.nowSeconds();
            long s = t == 0 ? now : (t < 0 ? now + 1 : now - t);
            session.send(Message.of("_answer_user_status", Rules.userStatusPipe(userId),
                    Json.object("data", s, "last_online_time", s), null, null, now, false, null));
        });
    }
}

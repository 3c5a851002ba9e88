package io.comet.core.engine;

import io.comet.core.Message;
import io.comet.core.Rules;
import io.comet.core.Session;
import io.comet.core.SubscribeResult;
import io.comet.core.broker.Broker;
import io.comet.core.context.EngineContext;
import io.comet.core.history.HistorySettings;
import io.comet.core.history.Recovery;
import io.comet.core.json.Json;
import io.comet.core.pipe.PipeRegistry;
import io.comet.core.presence.Presence;
import io.comet.core.store.HistoryEntry;
import io.comet.core.store.StreamPosition;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code subscription} command (client-protocol.md §2.3) and its Comet extension, stream
 * positions and recovery (docs/client-protocol.md "Positions and recovery"): a position-aware
 * session that rejoins a pipe with the position it had gets every publication it missed, then
 * live ones, none twice; or is told explicitly that it cannot.
 */
final class Subscriptions {

    /** Pseudo-pipe of position and recovery reports. */
    static final String RECOVERY_PIPE = "_recovery";

    private static final Logger log = LoggerFactory.getLogger("io.comet.core.engine");

    private final EngineContext ctx;
    private final PipeRegistry pipes;
    private final Presence presence;
    private final Broker broker;
    private final HistorySettings settings;

    Subscriptions(EngineContext ctx, PipeRegistry pipes, Presence presence, Broker broker, HistorySettings settings) {
        this.ctx = ctx;
        this.pipes = pipes;
        this.presence = presence;
        this.broker = broker;
        this.settings = settings;
    }

    /**
     * Replaces the session's subscription set; with {@code resume} non-null (a resume tail, even
     * empty) the session becomes position-aware and every newly joined pipe that keeps history
     * gets a position report, after the missed publications for the pipes in {@code resume}.
     */
    SubscribeResult subscribe(Session session, Collection<String> names, Map<String, StreamPosition> resume) {
        Rules rules = ctx.rules();
        Set<String> wanted = new LinkedHashSet<>();
        Set<String> skipped = new LinkedHashSet<>();
        for (String n : names) {
            rules.checkSubscribePipe(n);
            (rules.maySubscribe(session, n) ? wanted : skipped).add(n);
        }
        int max = ctx.config().maxSubscriptionsPerSession();
        boolean truncated = wanted.size() > max;
        if (truncated) {
            Set<String> cut = new LinkedHashSet<>();
            for (String n : wanted) {
                if (cut.size() == max) {
                    break;
                }
                cut.add(n);
            }
            wanted = cut;
        }
        if (resume != null) {
            session.markPositionAware();
        }
        Set<String> next = Set.copyOf(wanted);
        Session.SubscriptionChange change = session.replaceSubscriptions(next, wanted);
        for (String n : change.removed()) {
            leave(session, n);
        }
        for (String n : change.added()) {
            join(session, n, resume == null ? null : resume.get(n));
        }
        if (resume != null) {
            for (Map.Entry<String, StreamPosition> e : resume.entrySet()) {
                if (next.contains(e.getKey()) && !change.added().contains(e.getKey())) {
                    resumeJoined(session, e.getKey(), e.getValue());
                }
            }
        }
        return new SubscribeResult(session.isClosed() ? Set.of() : next, truncated, skipped);
    }

    private void join(Session session, String pipe, StreamPosition from) {
        int keep = settings.keep(session.devId(), pipe);
        boolean report = session.isPositionAware() && (keep != HistorySettings.NONE || from != null);
        if (report) {
            session.beginRecovery(pipe); // live messages are held from the moment of the join
        }
        pipes.join(session, pipe);
        CompletableFuture<Void> listening = broker.joined(session.devId(), pipe, session.id(), LocalNode.member(session));
        presence.joined(session, pipe);
        if (report) { // history is read once the broker delivers every later publication here
            listening.whenComplete((v, err) -> report(session, pipe, keep, from));
        }
    }

    /**
     * A pipe the session already has, named in its resume tail: the client may have lost what was
     * sent (a long-poll answer lost on the way), so it is resumed as on a join.
     */
    private void resumeJoined(Session session, String pipe, StreamPosition from) {
        session.beginRecovery(pipe);
        report(session, pipe, settings.keep(session.devId(), pipe), from);
    }

    /** With the pipe's live messages held: the position report, after the missed messages when {@code from} is set. */
    private void report(Session session, String pipe, int keep, StreamPosition from) {
        if (keep == HistorySettings.NONE) {
            finish(session, pipe, Recovery.lost("", 0), true);
        } else if (from == null) {
            broker.position(session.devId(), pipe).whenComplete((p, err) -> finish(session, pipe,
                    err != null || p.isEmpty() ? Recovery.lost("", 0)
                            : new Recovery(false, p.get().epoch(), p.get().offset(), List.of()), false));
        } else {
            broker.recover(session.devId(), pipe, from.epoch(), from.offset(), ctx.config().maxHistoryLength())
                    .whenComplete((r, err) -> {
                        if (err != null) {
                            log.warn("recovery of pipe {} (dev {}) failed: {}", pipe, session.devId(), err.toString());
                        }
                        finish(session, pipe, err != null ? Recovery.lost("", 0) : r, true);
                    });
        }
    }

    /** Sends the missed publications, the position report, then the live messages held meanwhile. */
    private void finish(Session session, String pipe, Recovery r, boolean asked) {
        for (HistoryEntry e : r.missed()) {
            session.send(Message.of(pipe, e.event(), e.text(), e.userId() > 0 ? e.userId() : null, null, e.time(), false,
                    null).withPosition(r.epoch(), e.offset()));
        }
        ctx.stats().delivered(r.missed().size());
        session.endRecovery(pipe, r.recovered() ? r.offset() : 0,
                offset -> positionReport(pipe, r.epoch(), offset, asked ? r.recovered() : null), r.offset());
    }

    /** The {@code _recovery} frame of {@code pipe} at {@code epoch}/{@code offset}; {@code recovered} null = a position only. */
    static Message positionReport(String pipe, String epoch, long offset, Boolean recovered) {
        Map<String, Object> data = recovered != null
                ? Json.object("epoch", epoch, "offset", offset, "pipe", pipe, "recovered", recovered)
                : Json.object("epoch", epoch, "offset", offset, "pipe", pipe);
        return Message.of(RECOVERY_PIPE, "position", data, null, null, 0, false, null);
    }

    private void leave(Session session, String pipe) {
        if (pipes.leave(session, pipe) >= 0) {
            broker.left(session.devId(), pipe, session.id());
            presence.left(session, pipe);
        }
    }

    /** The connection is gone: leaves every pipe. */
    void leaveAll(Session session) {
        for (String n : session.clearSubscriptions()) {
            leave(session, n);
        }
    }
}

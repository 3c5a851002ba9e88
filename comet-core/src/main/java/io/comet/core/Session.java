package io.comet.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One browser connection (one tab): uuid, authenticated user id (0 = anonymous), dev_id
 * namespace, the subscribed pipes and the delivery state the engine keeps for it. A plain
 * handle: it delivers through an {@link Outbound} and knows nothing of the engine; the browser
 * commands are {@link io.comet.core.engine.CometEngine} methods that take the session.
 *
 * <p>Thread-safe. Created by the engine when a connection authenticates; the transport calls
 * {@link #close()} when the connection is gone.
 */
public final class Session {

    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(Session.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long id;
    private final ConnectRequest request;
    private final long userId;
    private final Outbound outbound;
    private final long connectedAtMillis;
    private final Consumer<Session> onClose;
    /** Set once, by the first {@link #close()} (a field and a VarHandle, not an AtomicBoolean: one object less per connection). */
    private volatile boolean closed;
    private volatile Set<String> subscriptions = Set.of();
    private volatile boolean positionAware;
    /** Registered to receive private messages (at most maxSessionsPerUser per user); guarded by the user's lock. */
    private boolean privateReceiver;
    /** While true, live private messages are parked so queued ones go out first, in order. */
    private boolean replaying;
    private List<Message> parked;
    /** Live messages held back per pipe while that pipe recovers ({@code null} when none does). */
    private Map<String, List<Message>> recovering;

    /**
     * A session; {@code onClose} runs once, on the first {@link #close()}.
     */
    public Session(long id, ConnectRequest request, long userId, Outbound outbound, long connectedAtMillis,
                   Consumer<Session> onClose) {
        this.id = id;
        this.request = Objects.requireNonNull(request, "request");
        this.userId = userId;
        this.outbound = Objects.requireNonNull(outbound, "outbound");
        this.connectedAtMillis = connectedAtMillis;
        this.onClose = Objects.requireNonNull(onClose, "onClose");
    }

    /** Server-unique id of this connection. */
    public long id() {
        return id;
    }

    /** The dev_id namespace. */
    public int devId() {
        return request.devId();
    }

    /** Authenticated user id; 0 when anonymous or when authentication failed. */
    public long userId() {
        return userId;
    }

    /** True when the connection authenticated as {@link #userId()} &gt; 0. */
    public boolean isAuthorized() {
        return userId > 0;
    }

    /** Browser uuid from the connect URL. */
    public String uuid() {
        return request.uuid();
    }

    /** What the browser presented at connect (headers for {@code users_in_pipes}, API version). */
    public ConnectRequest request() {
        return request;
    }

    /** The transport's delivery side. */
    public Outbound outbound() {
        return outbound;
    }

    /** Wall-clock millis of the connect. */
    public long connectedAtMillis() {
        return connectedAtMillis;
    }

    /** Current subscriptions (immutable snapshot). */
    public Set<String> subscriptions() {
        return subscriptions;
    }

    /** True once {@link #close()} ran. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * True once the client asked for stream positions (a {@code subscription} with a resume
     * tail): its frames then carry {@code epoch} and {@code offset}.
     */
    public boolean isPositionAware() {
        return positionAware;
    }

    /** Marks the client position-aware (it sent a resume tail). */
    public void markPositionAware() {
        positionAware = true;
    }

    /** Sends {@code message} to this session only, now. */
    public boolean send(Message message) {
        return outbound.send(message);
    }

    /**
     * Delivers a live pipe message: sent at once, or held back while its pipe recovers (see
     * {@link #beginRecovery}).
     */
    public boolean deliver(Message message) {
        if (recovering != null) {
            synchronized (this) {
                List<Message> held = recovering == null ? null : recovering.get(message.pipe());
                if (held != null) {
                    held.add(message);
                    return true;
                }
            }
        }
        return outbound.send(message);
    }

    /** From now on, live messages of {@code pipe} are held back until {@link #endRecovery}. */
    public synchronized void beginRecovery(String pipe) {
        if (recovering == null) {
            recovering = new HashMap<>(4);
        }
        recovering.putIfAbsent(pipe, new ArrayList<>());
    }

    /**
     * Ends the recovery of {@code pipe}: sends the position report built by {@code report}, then
     * the held-back live messages that come after {@code lastSentOffset} (those at or before it
     * were part of the replay), and live delivery resumes. The report's offset is the one just
     * before the first held-back message, or {@code current} when none was held.
     */
    public synchronized void endRecovery(String pipe, long lastSentOffset, java.util.function.LongFunction<Message> report,
                                         long current) {
        List<Message> held = recovering == null ? null : recovering.remove(pipe);
        if (recovering != null && recovering.isEmpty()) {
            recovering = null;
        }
        long at = lastSentOffset > 0 ? lastSentOffset : current;
        if (held != null && lastSentOffset <= 0) {
            for (Message m : held) {
                if (m.hasPosition()) {
                    at = Math.min(at, m.offset() - 1);
                    break;
                }
            }
        }
        outbound.send(report.apply(at));
        if (held != null) {
            for (Message m : held) {
                if (!m.hasPosition() || m.offset() > lastSentOffset) {
                    outbound.send(m);
                }
            }
        }
    }

    /**
     * Replaces the subscription set with {@code next} and returns what changed; nothing changes
     * once the session is closed.
     */
    public synchronized SubscriptionChange replaceSubscriptions(Set<String> next, Iterable<String> order) {
        if (isClosed()) {
            return SubscriptionChange.NONE;
        }
        Set<String> old = subscriptions;
        List<String> removed = new ArrayList<>();
        List<String> added = new ArrayList<>();
        for (String n : old) {
            if (!next.contains(n)) {
                removed.add(n);
            }
        }
        for (String n : order) {
            if (next.contains(n) && !old.contains(n)) {
                added.add(n);
            }
        }
        subscriptions = next;
        return new SubscriptionChange(added, removed);
    }

    /** Empties the subscription set (the connection is gone) and returns what it held. */
    public synchronized Set<String> clearSubscriptions() {
        Set<String> old = subscriptions;
        subscriptions = Set.of();
        return old;
    }

    /** What {@link #replaceSubscriptions} changed: pipes to join and pipes to leave, in order. */
    public record SubscriptionChange(List<String> added, List<String> removed) {
        static final SubscriptionChange NONE = new SubscriptionChange(List.of(), List.of());
    }

    // ---- private messages: receiver registration and ordering during the offline-queue replay

    /** True when registered as one of the user's private-message receivers (under the user's lock). */
    public boolean isPrivateReceiver() {
        return privateReceiver;
    }

    /** Registers or unregisters as a private-message receiver (under the user's lock). */
    public void privateReceiver(boolean v) {
        privateReceiver = v;
    }

    /** From now on live private messages are parked until {@link #endReplay()}. */
    public synchronized void startReplay() {
        replaying = true;
    }

    /** Delivers a live private message, or parks it while the queue replays. */
    public synchronized boolean deliverPrivate(Message m) {
        if (replaying) {
            if (parked == null) {
                parked = new ArrayList<>();
            }
            parked.add(m);
            return true;
        }
        return outbound.send(m);
    }

    /** Ends the replay: sends the parked live messages after the queued ones. */
    public synchronized void endReplay() {
        replaying = false;
        if (parked != null) {
            for (Message m : parked) {
                outbound.send(m);
            }
            parked = null;
        }
    }

    /**
     * The connection is gone: the engine then leaves every pipe ({@code unsubscription} events)
     * and updates presence ({@code offline}, {@code users_time}). Idempotent.
     */
    public void close() {
        if (CLOSED.compareAndSet(this, false, true)) {
            onClose.accept(this);
        }
    }

    @Override
    public String toString() {
        return "Session{id=" + id + ", devId=" + devId() + ", userId=" + userId + ", uuid=" + uuid() + '}';
    }
}

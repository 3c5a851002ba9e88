package io.comet.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One browser connection (one tab): uuid, authenticated user id (0 = anonymous), dev_id
 * namespace and the set of subscribed pipes. Transport-neutral: it delivers through an
 * {@link Outbound}. Every command a browser can send (client-protocol.md §2) is a method here,
 * so a transport only translates frames into these calls.
 *
 * <p>Thread-safe. Created by {@link CometEngine#connect(ConnectRequest, Outbound)}; the
 * transport calls {@link #close()} when the connection is gone.
 */
public final class Session {

    private final CometEngine engine;
    private final long id;
    private final ConnectRequest request;
    private final long userId;
    private final Outbound outbound;
    private final long connectedAtMillis;
    private final AtomicBoolean closed = new AtomicBoolean();
    volatile Set<String> subscriptions = Set.of();
    /** Registered to receive private messages (at most maxSessionsPerUser per user). */
    volatile boolean privateRegistered;
    /** While true, live private messages are parked so queued ones go out first, in order. */
    private boolean replaying;
    private List<Message> parked;

    Session(CometEngine engine, long id, ConnectRequest request, long userId, Outbound outbound, long connectedAtMillis) {
        this.engine = engine;
        this.id = id;
        this.request = request;
        this.userId = userId;
        this.outbound = outbound;
        this.connectedAtMillis = connectedAtMillis;
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
        return closed.get();
    }

    /**
     * Replaces the whole subscription set ({@code subscription} command, client-protocol.md
     * §2.3). {@code track_*} join/leave events go only to real changes (the recommended diff).
     *
     * @throws InvalidNameException if a name is invalid (nothing changes then)
     */
    public SubscribeResult subscribe(Collection<String> pipes) {
        return engine.subscribe(this, pipes);
    }

    /**
     * Publishes from the browser ({@code web_pipe2}, §2.4/§4.5): {@code pipe} may be
     * {@code web_*}, {@code webauth_*} (authenticated only) or {@code @web_*} (anonymous send).
     * Delivers to every other subscriber stamped with this session's user id, then sends the
     * delivery report on {@code _answer_to_{pipe}} to this session.
     */
    public WebPublishResult publish(String pipe, String event, String text) {
        return engine.webPublish(this, pipe, event, text);
    }

    /** Replays the stored history of {@code pipe} to this session only ({@code pipe_log}, §2.5). */
    public CompletableFuture<Integer> requestHistory(String pipe) {
        return engine.pipeLog(this, pipe);
    }

    /** Replies with the subscriber count of a {@code web_*}/{@code track_*} pipe ({@code pipe_count}, §2.6). */
    public int requestPipeCount(String pipe, String marker) {
        return engine.pipeCount(this, pipe, marker);
    }

    /** Replies with the members of a {@code track_*} pipe ({@code track_pipe_users}, §2.7). */
    public int requestTrackPipeUsers(String pipe, String marker) {
        return engine.trackPipeUsers(this, pipe, marker);
    }

    /** Replies with a user's {@code users_data} text ({@code user_data}, §2.8). */
    public CompletableFuture<Void> requestUserData(String marker, long userId) {
        return engine.userDataRequest(this, marker, userId);
    }

    /** Replies with a user's status ({@code user_status}, §2.10). */
    public CompletableFuture<Void> requestUserStatus(long userId) {
        return engine.userStatusRequest(this, userId);
    }

    /** Sends {@code message} to this session only. */
    public boolean send(Message message) {
        return outbound.send(message);
    }

    /**
     * The connection is gone: leaves every pipe ({@code unsubscription} events), updates
     * presence ({@code offline}, {@code users_time}). Idempotent.
     */
    public void close() {
        if (closed.compareAndSet(false, true)) {
            engine.disconnect(this);
        }
    }

    // ---- private-message ordering during offline-queue replay

    synchronized void startReplay() {
        replaying = true;
    }

    /** Delivers a live private message, or parks it while the queue replays. */
    synchronized boolean deliverPrivate(Message m) {
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
    synchronized void endReplay() {
        replaying = false;
        if (parked != null) {
            for (Message m : parked) {
                outbound.send(m);
            }
            parked = null;
        }
    }

    @Override
    public String toString() {
        return "Session{id=" + id + ", devId=" + devId() + ", userId=" + userId + ", uuid=" + uuid() + '}';
    }
}

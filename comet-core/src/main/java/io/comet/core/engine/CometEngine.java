package io.comet.core.engine;

import io.comet.core.CometConfig;
import io.comet.core.ConnectRequest;
import io.comet.core.Outbound;
import io.comet.core.Session;
import io.comet.core.Stats;
import io.comet.core.SubscribeResult;
import io.comet.core.WebPublishResult;
import io.comet.core.auth.Authenticator;
import io.comet.core.broker.Broker;
import io.comet.core.broker.LocalBroker;
import io.comet.core.context.EngineContext;
import io.comet.core.history.HistorySettings;
import io.comet.core.pipe.PipeRegistry;
import io.comet.core.presence.Presence;
import io.comet.core.privatemsg.PrivateDelivery;
import io.comet.core.session.SessionRegistry;
import io.comet.core.store.MemoryStore;
import io.comet.core.store.Store;
import io.comet.core.store.StreamPosition;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.LoggerFactory;

/**
 * The one engine behind every door (docs/architecture.md): the WebSocket and long-poll
 * transports, CometQL and embedding applications all call these methods, which hand each
 * request to the component that owns the rule (authentication, sessions, pipes, presence,
 * history, private delivery) and to the {@link Broker} for what crosses nodes. Thread-safe; no
 * method blocks on I/O (store and broker calls return futures).
 * <pre>{@code
 * CometEngine engine = CometEngine.builder().config(CometConfig.builder().password("pw").build()).build();
 * InProcessClient alice = engine.connectInProcess(ConnectRequest.anonymous(0, "alice"));
 * alice.subscribe(List.of("web_chat"));
 * engine.publish(0, "web_chat", "new", "{\"text\":\"hi\"}");
 * }</pre>
 */
public final class CometEngine implements AutoCloseable {

    /** Pseudo-pipe of serverInfo and errors. */
    public static final String SYS_PIPE = "sys";
    /** Pseudo-pipe of private messages. */
    public static final String MSG_PIPE = PrivateDelivery.MSG_PIPE;
    private final EngineContext ctx;
    private final Broker broker;
    private final SessionRegistry sessions;
    private final PipeRegistry pipes;
    private final Presence presence;
    private final PrivateDelivery privates;
    private final Subscriptions subscriptions;
    private final Connections connections;
    private final Publishing publishing;
    private final Replies replies;
    private final Histories histories;
    private final Accounts accounts;
    private final Backpressure backpressure = new Backpressure();
    private final Maintenance maintenance;

    CometEngine(EngineBuilder b) {
        Store store = b.store != null ? b.store : new MemoryStore();
        ctx = new EngineContext(b.config, b.clock, store);
        broker = b.broker != null ? b.broker : new LocalBroker(store);
        HistorySettings settings = new HistorySettings(store, b.config.maxHistoryLength());
        sessions = new SessionRegistry(ctx);
        pipes = new PipeRegistry(ctx.stats());
        presence = new Presence(ctx, broker);
        privates = new PrivateDelivery(ctx, sessions, broker);
        subscriptions = new Subscriptions(ctx, pipes, presence, broker, settings);
        Authenticator auth = new Authenticator(ctx);
        connections = new Connections(ctx, auth, sessions, privates, presence, subscriptions);
        publishing = new Publishing(ctx, broker, settings);
        replies = new Replies(ctx, broker, presence);
        histories = new Histories(ctx, broker, settings);
        accounts = new Accounts(ctx, auth, broker);
        broker.start(new LocalNode(pipes, privates, sessions));
        maintenance = new Maintenance(ctx, b.maintenanceIntervalSeconds);
    }

    /** A new builder. */
    public static EngineBuilder builder() {
        return new EngineBuilder();
    }

    /** The settings in force. */
    public CometConfig config() {
        return ctx.config();
    }

    /** The durable store. */
    public Store store() {
        return ctx.store();
    }

    /** Counters for {@code show status}. */
    public Stats stats() {
        return ctx.stats();
    }

    /** Unix seconds now, from the engine's clock. */
    public long nowSeconds() {
        return ctx.nowSeconds();
    }

    // ---- connections (client-protocol.md §1.6, §4.4, §4.7)

    /** Authenticates and registers a browser connection; completes after serverInfo and the offline-queue replay. */
    public CompletableFuture<Session> connect(ConnectRequest request, Outbound outbound) {
        return connections.connect(Objects.requireNonNull(request, "request"), Objects.requireNonNull(outbound, "outbound"));
    }

    /** Connects an in-process client that records what it receives (blocking; for tests and embedding). */
    public InProcessClient connectInProcess(ConnectRequest request) {
        InProcessClient client = new InProcessClient(this);
        client.attach(connect(request, client).join());
        return client;
    }

    /** Live sessions on this node (snapshot). */
    public Collection<Session> sessions() {
        return sessions.all();
    }

    /** Live sessions of a user on this node (snapshot). */
    public List<Session> sessionsOf(int devId, long userId) {
        return sessions.sessionsOf(devId, userId);
    }

    /** Abruptly closes every connection of a user on every node (clients reconnect, §4.4); completes with how many. */
    public CompletableFuture<Integer> kick(int devId, long userId) {
        return broker.kick(devId, userId);
    }

    // ---- browser commands (client-protocol.md §2)

    /** {@code subscription}: replaces the session's whole set (§2.3). */
    public SubscribeResult subscribe(Session session, Collection<String> pipes) {
        return subscriptions.subscribe(session, pipes, null);
    }

    /** {@code subscription} with a resume tail: position-aware, missed publications recovered (positions and recovery). */
    public SubscribeResult subscribe(Session session, Collection<String> pipes, Map<String, StreamPosition> resume) {
        return subscriptions.subscribe(session, pipes, Objects.requireNonNull(resume, "resume"));
    }

    /** {@code web_pipe2}: publishes from the browser, stamped with the sender, reported on {@code _answer_to_} (§2.4). */
    public CompletableFuture<WebPublishResult> webPublish(Session sender, String pipe, String event, String text) {
        return publishing.webPublish(sender, pipe, event, text);
    }

    /** {@code pipe_log}: replays the stored history to the requester only (§2.5). */
    public CompletableFuture<Integer> pipeLog(Session session, String pipe) {
        return replies.pipeLog(session, pipe);
    }

    /** {@code pipe_count} (§2.6). */
    public CompletableFuture<Integer> pipeCount(Session session, String pipe, String marker) {
        return replies.pipeCount(session, pipe, marker);
    }

    /** {@code track_pipe_users} (§2.7). */
    public CompletableFuture<Integer> trackPipeUsers(Session session, String pipe, String marker) {
        return replies.trackPipeUsers(session, pipe, marker);
    }

    /** {@code user_data} (§2.8). */
    public CompletableFuture<Void> userDataRequest(Session session, String marker, long userId) {
        return replies.userData(session, marker, userId);
    }

    /** {@code user_status} (§2.10). */
    public CompletableFuture<Void> userStatusRequest(Session session, long userId) {
        return replies.userStatus(session, userId);
    }

    // ---- publishing

    /** {@code INSERT INTO pipes_messages} (cometql.md §3.1); completes with the copies delivered once history is durable. */
    public CompletableFuture<Integer> publish(int devId, String pipe, String event, String text) {
        return publishing.publish(devId, pipe, event, text).thenApply(p -> p.delivered());
    }

    /** {@code INSERT INTO users_messages} (§3.7): live copies, or 0 once queued durably. */
    public CompletableFuture<Integer> sendPrivate(int devId, long userId, String event, String text) {
        return privates.send(devId, userId, event, text);
    }

    // ---- presence

    /** Connections subscribed to a pipe on this node ({@code pipes.users}). */
    public int subscriberCount(int devId, String pipe) {
        return pipes.count(devId, pipe);
    }

    /** Sessions subscribed to a pipe on this node, in subscription order ({@code users_in_pipes}). */
    public List<Session> members(int devId, String pipe) {
        return pipes.members(devId, pipe);
    }

    /** True if the user has an authenticated session on this node. */
    public boolean isOnline(int devId, long userId) {
        return sessions.hasUser(devId, userId);
    }

    /** {@code users_time} (§3.6): 0 while online, -1 when unknown, else the last disconnect. */
    public CompletableFuture<Long> lastSeen(int devId, long userId) {
        return presence.lastSeen(devId, userId);
    }

    // ---- the tables' components

    /** {@code users_auth}, {@code revoked_tokens}, {@code users_data} and {@code users_messages} reads and writes. */
    public Accounts accounts() {
        return accounts;
    }

    /** {@code pipes_settings} and {@code pipes_messages} history: settings, reads by position, deletes. */
    public Histories history() {
        return histories;
    }

    /** The transports' delivery budgets (publishers that can wait acknowledge under them). */
    public Backpressure backpressure() {
        return backpressure;
    }

    /** Purges queued messages and {@code trust_*} history older than their TTLs. */
    public CompletableFuture<Void> purgeExpired() {
        return maintenance.purge();
    }

    /** Stops maintenance, leaves the broker, flushes and closes the store. Live sessions are not closed. */
    @Override
    public void close() {
        maintenance.close();
        broker.close();
        try {
            ctx.store().flush().join();
        } catch (CompletionException e) {
            LoggerFactory.getLogger("io.comet.core.engine").warn("store flush on close failed: {}", e.toString());
        }
        ctx.store().close();
    }
}

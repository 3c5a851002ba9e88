package io.comet.core;

import io.comet.core.json.Json;
import io.comet.core.store.HistoryEntry;
import io.comet.core.store.MemoryStore;
import io.comet.core.store.PipeSetting;
import io.comet.core.store.QueuedMessage;
import io.comet.core.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one engine behind every door (ARCHITECTURE.md rule 1): the WebSocket transport, CometQL
 * and embedding applications all call these methods. Holds pipes and their subscribers,
 * sessions, per-user presence and private delivery, history, auth, and delegates durable state
 * to a {@link Store}.
 *
 * <pre>{@code
 * CometEngine engine = CometEngine.builder().config(CometConfig.builder().password("pw").build()).build();
 * InProcessClient alice = engine.connectInProcess(ConnectRequest.anonymous(0, "alice"));
 * alice.session().subscribe(List.of("web_chat"));
 * engine.publish(0, "web_chat", "new", "{\"text\":\"hi\"}");
 * }</pre>
 *
 * <p>Thread-safe; no method blocks on I/O (store calls return futures).
 */
public final class CometEngine implements AutoCloseable {

    /** Pseudo-pipe of serverInfo and errors. */
    public static final String SYS_PIPE = "sys";
    /** Pseudo-pipe of private messages. */
    public static final String MSG_PIPE = "msg";

    private static final Logger log = LoggerFactory.getLogger("io.comet.core.engine");

    private final CometConfig config;
    private final Store store;
    private final Clock clock;
    private final Stats stats;
    private final ConcurrentHashMap<PipeKey, Pipe> pipes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UserKey, UserState> users = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UserKey, CompletableFuture<Void>> pendingEnqueues = new ConcurrentHashMap<>();
    /** Every pipe setting (length 0 included), loaded from the store at start and kept in step with it. */
    private final ConcurrentHashMap<PipeKey, Integer> historyLengths = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Session> sessions = new ConcurrentHashMap<>();
    /** Request header values shared between sessions (at most 4,096 values of up to 512 chars). */
    private final Interner headers = new Interner(4096, 512);
    private final AtomicLong sessionIds = new AtomicLong();
    private final ScheduledExecutorService maintenance;
    private final java.util.concurrent.CopyOnWriteArrayList<DeliveryBacklog> backlogs =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Live sessions of one user; guarded by the {@link #users} map's compute. */
    private static final class UserState {
        final List<Session> all = new ArrayList<>(2);
        final List<Session> registered = new ArrayList<>(2);
    }

    private CometEngine(Builder b) {
        this.config = b.config;
        this.store = b.store != null ? b.store : new MemoryStore();
        this.clock = b.clock;
        this.stats = new Stats(clock.millis());
        for (PipeSetting s : store.pipeSettings().join()) {
            historyLengths.put(new PipeKey(s.devId(), s.pipe()), s.length());
        }
        if (b.maintenanceIntervalSeconds > 0) {
            maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "comet-maintenance");
                t.setDaemon(true);
                return t;
            });
            maintenance.scheduleWithFixedDelay(this::purgeExpiredQuietly, b.maintenanceIntervalSeconds,
                    b.maintenanceIntervalSeconds, TimeUnit.SECONDS);
        } else {
            maintenance = null;
        }
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The settings in force. */
    public CometConfig config() {
        return config;
    }

    /** The durable store. */
    public Store store() {
        return store;
    }

    /** Counters for {@code show status}. */
    public Stats stats() {
        return stats;
    }

    /** Unix seconds now, from the engine's clock. */
    public long nowSeconds() {
        return clock.millis() / 1000;
    }

    // =====================================================================================
    // Connections

    /**
     * Authenticates and registers a browser connection (client-protocol.md §1.6, §4.4, §4.7):
     * sends serverInfo, then the user's queued private messages (oldest first, marked
     * {@code fromQueue}), and publishes {@code online} to {@code user_status_N} on the user's
     * first session. The future completes after the queue replay.
     */
    public CompletableFuture<Session> connect(ConnectRequest request, Outbound outbound) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(outbound, "outbound");
        int devId = request.devId() < config.devIndexSize() ? request.devId() : 0;
        // the session keeps its request: one shared copy of each repeated header value
        ConnectRequest req = new ConnectRequest(devId, request.userId(), request.credential(), request.uuid(),
                request.apiMajor(), headers.intern(request.userAgent()), headers.intern(request.ip()),
                headers.intern(request.origin()), headers.intern(request.language()));
        return authenticate(req).handle((auth, err) -> {
            if (err != null) {
                log.warn("auth lookup failed for user {} (dev {}), connecting anonymous: {}", req.userId(), req.devId(),
                        err.toString());
                return Auth.FAILED;
            }
            return auth;
        }).thenCompose(auth -> register(req, outbound, auth));
    }

    /** Connects an in-process client that records what it receives (blocking; for tests and embedding). */
    public InProcessClient connectInProcess(ConnectRequest request) {
        InProcessClient client = new InProcessClient();
        client.attach(connect(request, client).join());
        return client;
    }

    private record Auth(long userId, String echo) {
        static final Auth FAILED = new Auth(0, "");
    }

    private CompletableFuture<Auth> authenticate(ConnectRequest req) {
        String cred = req.credential();
        if (req.userId() <= 0 || cred == null || cred.isEmpty() || "undefined".equals(cred)) {
            return CompletableFuture.completedFuture(Auth.FAILED);
        }
        int devId = req.devId();
        if (Jwt.looksLikeJwt(cred)) {
            long uid = Jwt.verify(cred, config.password(), devId, nowSeconds());
            if (uid != req.userId()) {
                return CompletableFuture.completedFuture(Auth.FAILED);
            }
            return store.isRevoked(devId, cred).thenCompose(revoked -> {
                if (revoked) {
                    return CompletableFuture.completedFuture(Auth.FAILED);
                }
                return store.authHash(devId, uid).thenCompose(h -> {
                    if (h.isPresent() && !h.get().isEmpty()) {
                        return CompletableFuture.completedFuture(new Auth(uid, h.get()));
                    }
                    String hash = UUID.randomUUID().toString().replace('-', '0').substring(0, 32);
                    return store.putAuthHash(devId, uid, hash).thenApply(v -> new Auth(uid, hash));
                });
            });
        }
        if (!Names.isValidHash(cred)) {
            return CompletableFuture.completedFuture(Auth.FAILED);
        }
        return store.authHash(devId, req.userId()).thenApply(h -> {
            // An empty stored hash never authorizes (recommended deviation, quirk Q28).
            if (h.isPresent() && !h.get().isEmpty() && MessageDigest.isEqual(
                    h.get().getBytes(StandardCharsets.UTF_8), cred.getBytes(StandardCharsets.UTF_8))) {
                return new Auth(req.userId(), h.get());
            }
            return Auth.FAILED;
        });
    }

    private CompletableFuture<Session> register(ConnectRequest req, Outbound outbound, Auth auth) {
        Session session = new Session(this, sessionIds.incrementAndGet(), req, auth.userId(), outbound, clock.millis());
        sessions.put(session.id(), session);
        stats.connected(req.devId());
        Map<String, Object> extra = Json.object("authorized", auth.userId() > 0, "server", config.serverName());
        String echo = auth.userId() > 0 && config.echoAuthHash() ? auth.echo() : "";
        session.send(Message.of(SYS_PIPE, "serverInfo", echo, null, null, nowSeconds(), false, extra));
        if (auth.userId() <= 0) {
            return CompletableFuture.completedFuture(session);
        }
        UserKey key = new UserKey(req.devId(), auth.userId());
        boolean[] first = new boolean[1];
        CompletableFuture<?>[] pending = new CompletableFuture<?>[1];
        users.compute(key, (k, st) -> {
            UserState s = st == null ? new UserState() : st;
            first[0] = s.all.isEmpty();
            s.all.add(session);
            if (s.registered.size() < config.maxSessionsPerUser()) {
                s.registered.add(session);
                session.privateRegistered = true;
                session.startReplay();
            }
            pending[0] = pendingEnqueues.get(k);
            return s;
        });
        if (first[0] && config.sendUserOnlineEvents()) {
            String pipe = "user_status_" + auth.userId();
            fanOut(new PipeKey(req.devId(), pipe), Message.of(pipe, "online", "online", null, null, 0, false, null), null);
        }
        if (!session.privateRegistered) {
            return CompletableFuture.completedFuture(session);
        }
        CompletableFuture<?> before = pending[0] == null ? CompletableFuture.completedFuture(null)
                : pending[0].exceptionally(e -> null);
        return before.thenCompose(v -> store.queued(req.devId(), auth.userId(), config.maxQueuedMessagesPerUser()))
                .thenCompose(queued -> {
                    List<String> sent = new ArrayList<>(queued.size());
                    for (QueuedMessage q : queued) {
                        Message m = Message.of(MSG_PIPE, q.event(), q.text(), null, null, q.time(), true, null);
                        if (session.send(m)) {
                            sent.add(q.id());
                        }
                    }
                    stats.delivered(sent.size());
                    return sent.isEmpty() ? CompletableFuture.completedFuture(null)
                            : store.deleteQueued(req.devId(), auth.userId(), sent);
                })
                .handle((v, err) -> {
                    if (err != null) {
                        log.warn("offline queue replay failed for user {} (dev {}): {}", auth.userId(), req.devId(),
                                err.toString());
                    }
                    session.endReplay();
                    return session;
                });
    }

    void disconnect(Session session) {
        sessions.remove(session.id());
        stats.disconnected(session.devId());
        if (session.isAuthorized()) {
            UserKey key = new UserKey(session.devId(), session.userId());
            boolean[] last = new boolean[1];
            users.computeIfPresent(key, (k, s) -> {
                s.all.remove(session);
                if (s.registered.remove(session)) {
                    // promote an unregistered session so the user keeps up to max receivers
                    for (Session other : s.all) {
                        if (!other.privateRegistered) {
                            other.privateRegistered = true;
                            s.registered.add(other);
                            break;
                        }
                    }
                }
                last[0] = s.all.isEmpty();
                return last[0] ? null : s;
            });
            if (last[0]) {
                long now = nowSeconds();
                if (config.saveUsersLastOnlineTime()) {
                    store.putLastSeen(session.devId(), session.userId(), now).exceptionally(e -> {
                        log.warn("could not save last-seen of user {}: {}", session.userId(), e.toString());
                        return null;
                    });
                }
                if (config.sendUserOfflineEvents()) {
                    String pipe = "user_status_" + session.userId();
                    fanOut(new PipeKey(session.devId(), pipe),
                            Message.of(pipe, "offline", "offline", null, null, 0, false, null), null);
                }
            }
        }
        Set<String> subs;
        synchronized (session) {
            subs = session.subscriptions;
            session.subscriptions = Set.of();
        }
        for (String name : subs) {
            leave(session, name);
        }
    }

    /** Live sessions (snapshot). */
    public Collection<Session> sessions() {
        return List.copyOf(sessions.values());
    }

    /** Live sessions of a user in a namespace (snapshot). */
    public List<Session> sessionsOf(int devId, long userId) {
        List<Session> result = new ArrayList<>();
        users.computeIfPresent(new UserKey(devId, userId), (k, s) -> {
            result.addAll(s.all);
            return s;
        });
        return result;
    }

    /** Abruptly closes every live connection of a user (clients reconnect, §4.4). Returns how many. */
    public int kick(int devId, long userId) {
        List<Session> list = sessionsOf(devId, userId);
        for (Session s : list) {
            s.outbound().close();
        }
        if (!list.isEmpty()) {
            log.info("kicked {} connection(s) of user {} (dev {})", list.size(), userId, devId);
        }
        return list.size();
    }

    // =====================================================================================
    // Subscriptions

    SubscribeResult subscribe(Session session, Collection<String> names) {
        int max = config.maxPipeNameLength();
        Set<String> wanted = new LinkedHashSet<>();
        Set<String> skipped = new LinkedHashSet<>();
        for (String n : names) {
            if (!Names.isValid(n, 1, max)) {
                throw invalidName(n, max);
            }
            if (n.startsWith("private_") && !session.isAuthorized()) {
                skipped.add(n);
            } else {
                wanted.add(n);
            }
        }
        boolean truncated = false;
        if (wanted.size() > config.maxSubscriptionsPerSession()) {
            truncated = true;
            Set<String> cut = new LinkedHashSet<>();
            for (String n : wanted) {
                if (cut.size() == config.maxSubscriptionsPerSession()) {
                    break;
                }
                cut.add(n);
            }
            wanted = cut;
        }
        Set<String> next = Set.copyOf(wanted);
        List<String> removed = new ArrayList<>();
        List<String> added = new ArrayList<>();
        synchronized (session) {
            if (session.isClosed()) {
                return new SubscribeResult(Set.of(), truncated, skipped);
            }
            Set<String> old = session.subscriptions;
            for (String n : old) {
                if (!next.contains(n)) {
                    removed.add(n);
                }
            }
            for (String n : wanted) {
                if (!old.contains(n)) {
                    added.add(n);
                }
            }
            session.subscriptions = next;
        }
        for (String n : removed) {
            leave(session, n);
        }
        for (String n : added) {
            join(session, n);
        }
        return new SubscribeResult(next, truncated, skipped);
    }

    private static InvalidNameException invalidName(String n, int max) {
        if (n == null || n.isEmpty() || n.length() > max) {
            return new InvalidNameException(n != null && n.length() > max ? ErrorCode.OVERFLOW : ErrorCode.EMPTY,
                    "Invalid pipe name length");
        }
        return new InvalidNameException(ErrorCode.INVALID_DATA, Names.BAD_CHARS_TEXT);
    }

    private void join(Session session, String name) {
        PipeKey key = new PipeKey(session.devId(), name);
        while (true) {
            Pipe pipe = pipes.computeIfAbsent(key, Pipe::new);
            Pipe.Members before = pipe.add(session);
            if (before == null) {
                pipes.remove(key, pipe);
                continue;
            }
            if (name.startsWith("track_") && before.size() > 0) {
                Message m = trackEvent(name, "subscription", session);
                deliver(before, m, null);
            }
            return;
        }
    }

    private void leave(Session session, String name) {
        PipeKey key = new PipeKey(session.devId(), name);
        Pipe pipe = pipes.get(key);
        if (pipe == null) {
            return;
        }
        Pipe.Members after = pipe.remove(session);
        if (after == null) {
            return;
        }
        if (after.size() == 0) {
            if (pipe.killIfEmpty()) {
                pipes.remove(key, pipe);
            }
        } else if (name.startsWith("track_")) {
            deliver(after, trackEvent(name, "unsubscription", session), null);
        }
    }

    private Message trackEvent(String pipe, String event, Session who) {
        return Message.of(pipe, event, Json.object("user_id", who.userId(), "uuid", who.uuid()), null, null,
                nowSeconds(), false, null);
    }

    // =====================================================================================
    // Publishing

    /**
     * Publishes from the backend ({@code INSERT INTO pipes_messages}, cometql.md §3.1): stores
     * history when the pipe is logged, then delivers {@code {data,event,message_send_time,pipe}}
     * to every subscriber in the namespace.
     *
     * @return the number of copies accepted by connections
     */
    public int publish(int devId, String pipe, String event, String text) {
        checkDev(devId);
        Names.checkPipe(pipe, 1, config.maxPipeNameLength());
        Names.checkEvent(event, config.maxEventNameLength());
        checkText(text);
        long now = nowSeconds();
        record(devId, pipe, event, text, 0, now);
        stats.published();
        return fanOut(new PipeKey(devId, pipe), Message.pipe(pipe, event, text, now), null);
    }

    WebPublishResult webPublish(Session sender, String pipeSpec, String event, String text) {
        int max = config.maxPipeNameLength();
        if (pipeSpec == null || pipeSpec.isEmpty()) {
            throw new InvalidNameException(ErrorCode.EMPTY, "Invalid pipe name length");
        }
        boolean anonymous = pipeSpec.startsWith("@");
        String pipe = anonymous ? pipeSpec.substring(1) : pipeSpec;
        if (pipe.length() > max || pipe.isEmpty()) {
            throw new InvalidNameException(ErrorCode.OVERFLOW, "Invalid pipe name length");
        }
        if (!Names.hasOnlyNameChars(pipe)) {
            throw new InvalidNameException(ErrorCode.INVALID_DATA, "The channel name can only contain characters A-Za-z0-9_-");
        }
        if (event == null || event.length() > config.maxEventNameLength()) {
            throw new InvalidNameException(ErrorCode.OVERFLOW, "Invalid event name length");
        }
        if (!Names.hasOnlyNameChars(event)) {
            throw new InvalidNameException(ErrorCode.INVALID_DATA, "The event name can only contain characters A-Za-z0-9_-");
        }
        if (pipe.startsWith("webauth_") && !anonymous) {
            if (!sender.isAuthorized()) {
                throw new AccessDeniedException(ErrorCode.INVALID_DATA,
                        "[webauth_pipe_msg2] Invalid user auth. In to channel with name like webauth_* can not send messages anonim users");
            }
        } else if (!pipe.startsWith("web_")) {
            throw new AccessDeniedException(ErrorCode.INVALID_DATA,
                    "[pipe_msg2] Invalid channel name. The channel should begin with web_");
        }
        checkText(text);
        long uid = anonymous ? 0 : sender.userId();
        long now = nowSeconds();
        record(sender.devId(), pipe, event, text, uid, now);
        stats.published();
        Message m = Message.of(pipe, event, text, uid, null, now, false, null);
        int n = fanOut(new PipeKey(sender.devId(), pipe), m, sender);
        sender.send(Message.of("_answer_to_" + pipe, "answer", Json.object("message", text, "number_messages", n),
                null, null, now, false, null));
        return new WebPublishResult(pipe, n);
    }

    /**
     * Sends a private message ({@code INSERT INTO users_messages}, cometql.md §3.7) to every
     * registered live connection of the user; when none takes it, queues it durably. The future
     * completes with the number of live copies (0 = queued) once a queued message is durable.
     */
    public CompletableFuture<Integer> sendPrivate(int devId, long userId, String event, String text) {
        checkDev(devId);
        Names.checkUserId(userId, true);
        Names.checkEvent(event, config.maxEventNameLength());
        checkText(text);
        stats.published();
        Message m = Message.of(MSG_PIPE, event, text, null, null, 0, false, null);
        UserKey key = new UserKey(devId, userId);
        int[] delivered = new int[1];
        @SuppressWarnings("unchecked")
        CompletableFuture<Void>[] queued = new CompletableFuture[1];
        users.compute(key, (k, s) -> {
            if (s != null) {
                for (Session session : s.registered) {
                    if (session.deliverPrivate(m)) {
                        delivered[0]++;
                    }
                }
            }
            if (delivered[0] == 0) {
                QueuedMessage q = new QueuedMessage(UUID.randomUUID().toString(), nowSeconds(), event, text);
                CompletableFuture<Void> prev = pendingEnqueues.get(k);
                CompletableFuture<Void> write = (prev == null ? CompletableFuture.<Void>completedFuture(null)
                        : prev.exceptionally(e -> null))
                        .thenCompose(v -> store.enqueue(devId, userId, q, config.maxQueuedMessagesPerUser()));
                pendingEnqueues.put(k, write);
                write.whenComplete((v, e) -> pendingEnqueues.remove(k, write));
                queued[0] = write;
            }
            return s;
        });
        stats.delivered(delivered[0]);
        if (queued[0] == null) {
            return CompletableFuture.completedFuture(delivered[0]);
        }
        return queued[0].thenApply(v -> 0);
    }

    private void record(int devId, String pipe, String event, String text, long userId, long now) {
        boolean trust = pipe.startsWith("trust_");
        Integer len = historyLengths.get(new PipeKey(devId, pipe));
        if (!trust && (len == null || len <= 0)) {
            return;
        }
        HistoryEntry e = new HistoryEntry(UUID.randomUUID().toString(), now, pipe,
                event.isEmpty() ? "undefined" : event, text, userId, 0); // offset: not assigned yet
        store.appendHistory(devId, "unassigned", e, trust ? 0 : len).exceptionally(err -> {
            log.warn("history write failed for pipe {} (dev {}): {}", pipe, devId, err.toString());
            return null;
        });
    }

    // =====================================================================================
    // Push-back (ARCHITECTURE.md rule 4)

    /**
     * Registers a transport's delivery budget; {@link #whenDeliveryBacklogBelowLimit()} then
     * waits for it. A transport removes it with {@link #removeDeliveryBacklog} when it stops.
     */
    public void addDeliveryBacklog(DeliveryBacklog backlog) {
        backlogs.addIfAbsent(Objects.requireNonNull(backlog, "backlog"));
    }

    /** Unregisters a budget added with {@link #addDeliveryBacklog}. */
    public void removeDeliveryBacklog(DeliveryBacklog backlog) {
        backlogs.remove(backlog);
    }

    /**
     * Completes when every registered {@link DeliveryBacklog} is below its limit (at once, and
     * already complete, when none is registered or all are below). A publisher that waits for
     * this before acknowledging (CometQL {@code INSERT}) is slowed to the speed of delivery
     * instead of growing the server's memory.
     */
    public CompletableFuture<Void> whenDeliveryBacklogBelowLimit() {
        CompletableFuture<Void> one = null;
        List<CompletableFuture<Void>> more = null;
        for (DeliveryBacklog b : backlogs) {
            CompletableFuture<Void> f = b.whenBelowLimit();
            if (f.isDone()) {
                continue;
            }
            if (one == null) {
                one = f;
            } else {
                if (more == null) {
                    more = new ArrayList<>();
                    more.add(one);
                }
                more.add(f);
            }
        }
        if (more != null) {
            return CompletableFuture.allOf(more.toArray(new CompletableFuture<?>[0]));
        }
        return one != null ? one : CompletableFuture.completedFuture(null);
    }

    private int fanOut(PipeKey key, Message m, Session except) {
        Pipe pipe = pipes.get(key);
        if (pipe == null) {
            return 0;
        }
        return deliver(pipe.members(), m, except);
    }

    private int deliver(Pipe.Members targets, Message m, Session except) {
        int n = targets.forEach(s -> s != except && s.outbound().send(m));
        stats.delivered(n);
        return n;
    }

    private void checkText(String text) {
        if (text == null) {
            throw new CometException(ErrorCode.INVALID_DATA, "field `message` is required");
        }
        int max = config.maxMessageBytes();
        if (text.length() > max || (text.length() * 3 > max && utf8Length(text) > max)) {
            throw new LimitExceededException(ErrorCode.OVERFLOW, "maxMessageBytes",
                    "Message is too long (max " + max + " bytes)");
        }
        if (!isWellFormed(text)) {
            throw new CometException(ErrorCode.INVALID_DATA, "Message is not valid UTF-8");
        }
    }

    private void checkDev(int devId) {
        if (devId < 0 || devId >= config.devIndexSize()) {
            throw new CometException(ErrorCode.INVALID_DATA, "Invalid dev_id value");
        }
    }

    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** False if the string holds an unpaired surrogate (cannot be valid UTF-8). */
    static boolean isWellFormed(String s) {
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= len || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    // =====================================================================================
    // Browser requests with replies

    CompletableFuture<Integer> pipeLog(Session session, String pipe) {
        if (!Names.isValid(pipe, 1, config.maxPipeNameLength())) {
            throw new InvalidNameException(ErrorCode.INVALID_DATA, "Invalid channel name.");
        }
        return history(session.devId(), pipe).thenApply(list -> {
            int n = 0;
            for (HistoryEntry e : list) {
                if (session.send(historyMessage(e))) {
                    n++;
                }
            }
            return n;
        });
    }

    private static Message historyMessage(HistoryEntry e) {
        return Message.of(e.pipe(), e.event(), e.text(), e.userId(), null, e.time(), true, null);
    }

    int pipeCount(Session session, String pipe, String marker) {
        if (!Names.isValid(pipe, 1, config.maxPipeNameLength())) {
            throw new InvalidNameException(ErrorCode.INVALID_DATA, "Invalid pipe name.");
        }
        if (!pipe.startsWith("web_") && !pipe.startsWith("track_")) {
            throw new CometException(ErrorCode.INVALID_DATA,
                    "[pipe_count] Invalid channel name. The channel should start with web_");
        }
        int n = subscriberCount(session.devId(), pipe);
        Object data = config.pipeCountAsObject() ? Json.object("user_in_pipe", n) : List.of("user_in_pipe", n);
        session.send(Message.of("_answer_pipe_count", "user_in_pipe", data, null, marker, nowSeconds(), false, null));
        return n;
    }

    int trackPipeUsers(Session session, String pipe, String marker) {
        if (pipe == null || !pipe.startsWith("track_") || !Names.isValid(pipe, 1, config.maxPipeNameLength())) {
            throw new CometException(ErrorCode.INVALID_DATA,
                    "[track_pipe_users] Invalid channel name. The channel should start with track_");
        }
        List<Object> list = new ArrayList<>();
        for (Session s : members(session.devId(), pipe)) {
            list.add(Json.object("user_id", s.userId(), "uuid", s.uuid()));
        }
        session.send(Message.of("_answer", "answer", list, null, marker, nowSeconds(), false,
                Json.object("_info", "answer for track_pipe_users")));
        return list.size();
    }

    CompletableFuture<Void> userDataRequest(Session session, String marker, long userId) {
        if (userId <= 0) {
            throw new CometException(ErrorCode.INVALID_DATA, "Invalid user id");
        }
        return store.userData(session.devId(), userId).thenAccept(d -> session.send(Message.of("_answer", "answer",
                Json.object("user_data", d.orElse(""), "user_id", userId), null, marker, nowSeconds(), false, null)));
    }

    CompletableFuture<Void> userStatusRequest(Session session, long userId) {
        return lastSeen(session.devId(), userId).thenAccept(t -> {
            long now = nowSeconds();
            long s = t == 0 ? now : (t < 0 ? now + 1 : now - t);
            session.send(Message.of("_answer_user_status", "user_status_" + userId,
                    Json.object("data", s, "last_online_time", s), null, null, now, false, null));
        });
    }

    // =====================================================================================
    // Presence and queries (CometQL tables)

    /** Connections subscribed to a pipe in a namespace ({@code pipes.users}). */
    public int subscriberCount(int devId, String pipe) {
        Pipe p = pipes.get(new PipeKey(devId, pipe));
        return p == null ? 0 : p.size();
    }

    /** Sessions subscribed to a pipe, in subscription order ({@code users_in_pipes}). */
    public List<Session> members(int devId, String pipe) {
        Pipe p = pipes.get(new PipeKey(devId, pipe));
        return p == null ? List.of() : p.members().toList();
    }

    /** True if the user has at least one authenticated live session. */
    public boolean isOnline(int devId, long userId) {
        return users.containsKey(new UserKey(devId, userId));
    }

    /**
     * {@code users_time} (cometql.md §3.6): 0 while online, -1 when unknown, else the unix time
     * of the last disconnect (a stored 0 is reported as -1).
     */
    public CompletableFuture<Long> lastSeen(int devId, long userId) {
        if (userId > 0 && isOnline(devId, userId)) {
            return CompletableFuture.completedFuture(0L);
        }
        if (userId <= 0) {
            return CompletableFuture.completedFuture(-1L);
        }
        return store.lastSeen(devId, userId).thenApply(t -> t == null || t <= 0 ? -1L : t);
    }

    // ---- users_auth

    /** Stores a user's auth hash ({@code INSERT INTO users_auth}); durable when completed. */
    public CompletableFuture<Void> putAuthHash(int devId, long userId, String hash) {
        checkDev(devId);
        Names.checkUserId(userId, false);
        Names.checkHash(hash);
        return store.putAuthHash(devId, userId, hash);
    }

    /** The stored hash of a user. */
    public CompletableFuture<Optional<String>> authHash(int devId, long userId) {
        return store.authHash(devId, userId);
    }

    /** Deletes a user's hash and abruptly closes the user's connections (§4.4). */
    public CompletableFuture<Void> deleteAuthHash(int devId, long userId) {
        return store.deleteAuthHash(devId, userId).thenRun(() -> kick(devId, userId));
    }

    // ---- revoked_tokens

    /**
     * Revokes a JWT; if it is a valid token of this namespace, also deletes the user's hash and
     * closes the user's connections (cometql.md §3.9).
     */
    public CompletableFuture<Void> revokeToken(int devId, String token) {
        checkDev(devId);
        if (token == null || token.isEmpty()) {
            throw new CometException(ErrorCode.INVALID_DATA, "field `token` is required");
        }
        if (token.length() > Jwt.MAX_TOKEN_LENGTH) {
            throw new CometException(ErrorCode.OVERFLOW, "Token is too long");
        }
        long uid = Jwt.verify(token, config.password(), devId, nowSeconds());
        CompletableFuture<Void> f = store.revoke(devId, token);
        if (uid > 0) {
            f = f.thenCompose(v -> deleteAuthHash(devId, uid));
        }
        return f;
    }

    /** Un-revokes a token. */
    public CompletableFuture<Void> unrevokeToken(int devId, String token) {
        return store.unrevoke(devId, token);
    }

    /** Every revoked token of a namespace. */
    public CompletableFuture<List<String>> revokedTokens(int devId) {
        return store.revokedTokens(devId);
    }

    /** True if the token is revoked. */
    public CompletableFuture<Boolean> isRevoked(int devId, String token) {
        return store.isRevoked(devId, token);
    }

    /** Signs an HS256 JWT the way browsers present it ({@code user_id}, {@code exp}), with the configured password. */
    public String signJwt(int devId, long userId, long expUnixSeconds) {
        if (config.password() == null) {
            throw new IllegalStateException("no password configured");
        }
        return Jwt.sign(Json.object("user_id", userId, "exp", expUnixSeconds), config.password(), devId);
    }

    // ---- users_messages

    /** Queued private messages of a user, oldest first. */
    public CompletableFuture<List<QueuedMessage>> queuedMessages(int devId, long userId) {
        return store.queued(devId, userId, config.maxQueuedMessagesPerUser());
    }

    /** Deletes a user's whole offline queue. */
    public CompletableFuture<Void> clearQueue(int devId, long userId) {
        return store.clearQueue(devId, userId);
    }

    // ---- pipes_settings and history

    /**
     * Sets a pipe's history length ({@code INSERT INTO pipes_settings}), clamped to
     * {@code 0..maxHistoryLength}; existing history is trimmed on the next publish.
     *
     * @return a future of the clamped length, complete when durable
     */
    public CompletableFuture<Integer> setHistoryLength(int devId, String pipe, long length) {
        checkDev(devId);
        Names.checkPipe(pipe, 3, config.maxPipeNameLength());
        int len = (int) Math.max(0, Math.min(config.maxHistoryLength(), length));
        return store.putPipeSetting(devId, pipe, len).thenApply(v -> {
            historyLengths.put(new PipeKey(devId, pipe), len); // 0 too: the setting exists
            return len;
        });
    }

    /** The configured history length of a pipe, if a setting exists (answered from memory: settings are loaded at start). */
    public CompletableFuture<Optional<Integer>> historyLength(int devId, String pipe) {
        return CompletableFuture.completedFuture(Optional.ofNullable(historyLengths.get(new PipeKey(devId, pipe))));
    }

    /** Removes a pipe's setting and its stored history ({@code DELETE FROM pipes_settings}). */
    public CompletableFuture<Void> deletePipeSetting(int devId, String pipe) {
        historyLengths.remove(new PipeKey(devId, pipe));
        return store.deletePipeSetting(devId, pipe);
    }

    /** Up to {@link CometConfig#historyReplayLimit()} oldest stored messages of a pipe, oldest first. */
    public CompletableFuture<List<HistoryEntry>> history(int devId, String pipe) {
        return store.history(devId, pipe, config.historyReplayLimit());
    }

    /** Deletes a pipe's whole history. */
    public CompletableFuture<Void> deleteHistory(int devId, String pipe) {
        return store.deleteHistory(devId, pipe);
    }

    /** Deletes one stored message by id. */
    public CompletableFuture<Void> deleteHistoryEntry(int devId, String id) {
        return store.deleteHistoryEntry(devId, id);
    }

    // ---- users_data

    /** Upserts a user's free-form data ({@code INSERT INTO users_data}). */
    public CompletableFuture<Void> putUserData(int devId, long userId, String data) {
        checkDev(devId);
        Names.checkUserId(userId, false);
        if (data == null) {
            throw new CometException(ErrorCode.INVALID_DATA, "field `data` is required");
        }
        checkText(data);
        return store.putUserData(devId, userId, data);
    }

    /** A user's data text, if any. */
    public CompletableFuture<Optional<String>> userData(int devId, long userId) {
        return store.userData(devId, userId);
    }

    /** Deletes a user's data. */
    public CompletableFuture<Void> deleteUserData(int devId, long userId) {
        return store.deleteUserData(devId, userId);
    }

    // =====================================================================================
    // Maintenance

    /** Purges queued messages and {@code trust_*} history older than their TTLs (cometql.md §6 [proj]). */
    public CompletableFuture<Void> purgeExpired() {
        long now = nowSeconds();
        long q = config.queueTtlSeconds() > 0 ? now - config.queueTtlSeconds() : Long.MIN_VALUE;
        long t = config.trustHistoryTtlSeconds() > 0 ? now - config.trustHistoryTtlSeconds() : Long.MIN_VALUE;
        return store.purge(q, t);
    }

    private void purgeExpiredQuietly() {
        try {
            purgeExpired().exceptionally(e -> {
                log.warn("purge failed: {}", e.toString());
                return null;
            });
        } catch (RuntimeException e) {
            log.warn("purge failed: {}", e.toString());
        }
    }

    /** Stops maintenance, flushes and closes the store. Live sessions are not closed. */
    @Override
    public void close() {
        if (maintenance != null) {
            maintenance.shutdownNow();
        }
        try {
            store.flush().join();
        } catch (CompletionException e) {
            log.warn("store flush on close failed: {}", e.toString());
        }
        store.close();
    }

    /** Builder of {@link CometEngine}. */
    public static final class Builder {
        private CometConfig config = CometConfig.DEFAULT;
        private Store store;
        private Clock clock = Clock.systemUTC();
        private int maintenanceIntervalSeconds = 30;

        private Builder() {
        }

        /** Settings (default {@link CometConfig#DEFAULT}). */
        public Builder config(CometConfig v) {
            config = Objects.requireNonNull(v, "config");
            return this;
        }

        /** Durable store (default a new {@link MemoryStore}). */
        public Builder store(Store v) {
            store = Objects.requireNonNull(v, "store");
            return this;
        }

        /** Clock for timestamps and JWT expiry (default UTC system clock). */
        public Builder clock(Clock v) {
            clock = Objects.requireNonNull(v, "clock");
            return this;
        }

        /** Seconds between TTL purges; 0 disables the maintenance thread (default 30). */
        public Builder maintenanceIntervalSeconds(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("maintenanceIntervalSeconds: " + v + " (expected: >= 0)");
            }
            maintenanceIntervalSeconds = v;
            return this;
        }

        /** Builds the engine (loads pipe settings from the store). */
        public CometEngine build() {
            return new CometEngine(this);
        }
    }
}

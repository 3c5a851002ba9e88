package io.comet.core.session;

import io.comet.core.ConnectRequest;
import io.comet.core.Outbound;
import io.comet.core.Session;
import io.comet.core.UserKey;
import io.comet.core.context.EngineContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live sessions of this node: by id, and per user (who is connected, which sessions receive
 * private messages, at most {@link io.comet.core.CometConfig#maxSessionsPerUser()}); kick.
 */
public final class SessionRegistry {

    private static final Logger log = LoggerFactory.getLogger("io.comet.core.session");

    private final EngineContext ctx;
    private final ConcurrentHashMap<Long, Session> sessions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UserKey, UserSessions> users = new ConcurrentHashMap<>();
    /** Request header values shared between sessions (at most 4,096 values of up to 512 chars). */
    private final Interner headers = new Interner(4096, 512);
    private final AtomicLong ids = new AtomicLong();

    /** A registry counting connects and disconnects in the context's stats. */
    public SessionRegistry(EngineContext ctx) {
        this.ctx = ctx;
    }

    /**
     * The request a session keeps: dev_id outside the namespace range mapped to 0, and one shared
     * copy of each repeated header value.
     */
    public ConnectRequest normalize(ConnectRequest r) {
        int devId = r.devId() < ctx.config().devIndexSize() ? r.devId() : 0;
        return new ConnectRequest(devId, r.userId(), r.credential(), r.uuid(), r.apiMajor(),
                headers.intern(r.userAgent()), headers.intern(r.ip()), headers.intern(r.origin()),
                headers.intern(r.language()));
    }

    /** A new live session; {@code onClose} runs when the transport closes it. */
    public Session open(ConnectRequest req, long userId, Outbound outbound, Consumer<Session> onClose) {
        Session s = new Session(ids.incrementAndGet(), req, userId, outbound, ctx.clock().millis(), onClose);
        sessions.put(s.id(), s);
        ctx.stats().connected(req.devId());
        return s;
    }

    /** Forgets a closed session. */
    public void remove(Session s) {
        if (sessions.remove(s.id()) != null) {
            ctx.stats().disconnected(s.devId());
        }
    }

    /**
     * Adds an authenticated session to its user; {@code underLock} then runs under the user's
     * lock (it sees whether the session became a private receiver). Returns true when it is the
     * user's first session on this node.
     */
    public boolean addToUser(Session s, Consumer<Session> underLock) {
        boolean[] first = new boolean[1];
        users.compute(new UserKey(s.devId(), s.userId()), (k, st) -> {
            UserSessions u = st == null ? new UserSessions() : st;
            first[0] = u.all().isEmpty();
            u.add(s, ctx.config().maxSessionsPerUser());
            underLock.accept(s);
            return u;
        });
        return first[0];
    }

    /** Removes an authenticated session from its user; returns true when it was the user's last on this node. */
    public boolean removeFromUser(Session s) {
        boolean[] last = new boolean[1];
        users.computeIfPresent(new UserKey(s.devId(), s.userId()), (k, u) -> {
            u.remove(s);
            last[0] = u.all().isEmpty();
            return last[0] ? null : u;
        });
        return last[0];
    }

    /** Runs {@code fn} under the user's lock with the user's sessions ({@code null} when none). */
    public <T> T withUser(UserKey key, Function<UserSessions, T> fn) {
        Object[] out = new Object[1];
        users.compute(key, (k, u) -> {
            out[0] = fn.apply(u);
            return u;
        });
        @SuppressWarnings("unchecked")
        T t = (T) out[0];
        return t;
    }

    /** True if the user has a live authenticated session on this node. */
    public boolean hasUser(int devId, long userId) {
        return users.containsKey(new UserKey(devId, userId));
    }

    /** Live sessions of a user on this node (snapshot). */
    public List<Session> sessionsOf(int devId, long userId) {
        List<Session> result = new ArrayList<>();
        users.computeIfPresent(new UserKey(devId, userId), (k, u) -> {
            result.addAll(u.all());
            return u;
        });
        return result;
    }

    /** Every live session (snapshot). */
    public Collection<Session> all() {
        return List.copyOf(sessions.values());
    }

    /** Abruptly closes every live connection of a user on this node (clients reconnect, §4.4); returns how many. */
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
}

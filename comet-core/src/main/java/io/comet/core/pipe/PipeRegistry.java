package io.comet.core.pipe;

import io.comet.core.Message;
import io.comet.core.PipeKey;
import io.comet.core.Session;
import io.comet.core.Stats;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pipes of this node and their local subscribers: join and leave, member lists and counts,
 * and local delivery of one shared {@link Message} to every subscriber (ARCHITECTURE rule 3).
 * Pipes exist while they have a subscriber.
 */
public final class PipeRegistry {

    private final ConcurrentHashMap<PipeKey, Pipe> pipes = new ConcurrentHashMap<>();
    private final Stats stats;

    /** A registry counting deliveries in {@code stats}. */
    public PipeRegistry(Stats stats) {
        this.stats = stats;
        stats.pipeCounts(this::pipeCount, this::subscriptionCount);
    }

    /** {@return pipes with at least one local subscriber} */
    public int pipeCount() {
        return pipes.size();
    }

    /** {@return local subscriptions (session × pipe), summed over the pipes: O(pipes), for metrics} */
    public long subscriptionCount() {
        long n = 0;
        for (Pipe p : pipes.values()) {
            n += p.size();
        }
        return n;
    }

    /**
     * Adds {@code session} to {@code pipe}; returns how many members the pipe had before (so the
     * caller can tell whether anyone saw the join).
     */
    public int join(Session session, String pipe) {
        PipeKey key = new PipeKey(session.devId(), pipe);
        while (true) {
            Pipe p = pipes.computeIfAbsent(key, Pipe::new);
            Pipe.Members before = p.add(session);
            if (before != null) {
                return before.size();
            }
            pipes.remove(key, p); // emptied and killed by a racing leave: retry on a fresh pipe
        }
    }

    /** Removes {@code session} from {@code pipe}; returns the members left, or -1 when it was not a member. */
    public int leave(Session session, String pipe) {
        PipeKey key = new PipeKey(session.devId(), pipe);
        Pipe p = pipes.get(key);
        if (p == null) {
            return -1;
        }
        Pipe.Members after = p.remove(session);
        if (after == null) {
            return -1;
        }
        if (after.size() == 0 && p.killIfEmpty()) {
            pipes.remove(key, p);
        }
        return after.size();
    }

    /** Local subscribers of a pipe ({@code pipes.users} on one node). */
    public int count(int devId, String pipe) {
        Pipe p = pipes.get(new PipeKey(devId, pipe));
        return p == null ? 0 : p.size();
    }

    /** Local subscribers of a pipe, in subscription order. */
    public List<Session> members(int devId, String pipe) {
        Pipe p = pipes.get(new PipeKey(devId, pipe));
        return p == null ? List.of() : p.members().toList();
    }

    /**
     * Delivers {@code m} to every local subscriber of the pipe but the session with id
     * {@code exceptSessionId} (0 = none); returns the copies accepted.
     */
    public int deliver(int devId, String pipe, Message m, long exceptSessionId) {
        Pipe p = pipes.get(new PipeKey(devId, pipe));
        if (p == null) {
            return 0;
        }
        int n = p.members().forEach(s -> s.id() != exceptSessionId && s.deliver(m));
        stats.delivered(n);
        return n;
    }
}

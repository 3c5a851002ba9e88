package io.comet.core.store;

import io.comet.core.ErrorCode;
import io.comet.core.LimitExceededException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Store} in memory, for tests and ephemeral embedding: everything is lost when the
 * process ends. Operations complete immediately, under one lock.
 */
public final class MemoryStore implements Store {

    private record UserKey(int devId, long userId) {
    }

    private record PipeKey(int devId, String pipe) {
    }

    private final Map<UserKey, String> auth = new HashMap<>();
    private final Map<UserKey, Long> lastSeen = new HashMap<>();
    private final Map<UserKey, Deque<QueuedMessage>> queues = new HashMap<>();
    private final Map<PipeKey, Integer> settings = new LinkedHashMap<>();
    private final Map<PipeKey, Deque<HistoryEntry>> history = new HashMap<>();
    private final Map<PipeKey, StreamPosition> streams = new HashMap<>();
    private final Map<UserKey, String> userData = new HashMap<>();
    private final Map<Integer, Set<String>> revoked = new HashMap<>();

    private static <T> CompletableFuture<T> done(T v) {
        return CompletableFuture.completedFuture(v);
    }

    @Override
    public synchronized CompletableFuture<Optional<String>> authHash(int devId, long userId) {
        return done(Optional.ofNullable(auth.get(new UserKey(devId, userId))));
    }

    @Override
    public synchronized CompletableFuture<Void> putAuthHash(int devId, long userId, String hash) {
        auth.put(new UserKey(devId, userId), hash);
        return done(null);
    }

    @Override
    public synchronized CompletableFuture<Void> deleteAuthHash(int devId, long userId) {
        auth.remove(new UserKey(devId, userId));
        return done(null);
    }

    @Override
    public synchronized CompletableFuture<Long> lastSeen(int devId, long userId) {
        return done(lastSeen.getOrDefault(new UserKey(devId, userId), -1L));
    }

    @Override
    public synchronized CompletableFuture<Void> putLastSeen(int devId, long userId, long unixSeconds) {
        lastSeen.put(new UserKey(devId, userId), unixSeconds);
        return done(null);
    }

    @Override
    public synchronized CompletableFuture<Void> enqueue(int devId, long userId, QueuedMessage message, int maxPerUser) {
        Deque<QueuedMessage> q = queues.computeIfAbsent(new UserKey(devId, userId), k -> new ArrayDeque<>());
        if (q.size() >= maxPerUser) {
            return CompletableFuture.failedFuture(new LimitExceededException(ErrorCode.OVERFLOW,
                    "maxQueuedMessagesPerUser", "Too many queued messages for user " + userId + " (max " + maxPerUser + ")"));
        }
        q.addLast(message);
        return done(null);
    }

    @Override
    public synchronized CompletableFuture<List<QueuedMessage>> queued(int devId, long userId, int limit) {
        Deque<QueuedMessage> q = queues.get(new UserKey(devId, userId));
        List<QueuedMessage> out = new ArrayList<>();
        if (q != null) {
            for (QueuedMessage m : q) {
                if (out.size() == limit) {
                    break;
                }
                out.add(m);
            }
        }
        return done(out);
    }

    @Override
    public synchronized CompletableFuture<Void> deleteQueued(int devId, long userId, Collection<String> ids) {
        Deque<QueuedMessage> q = queues.get(new UserKey(devId, userId));
        if (q != null) {
            Set<String> set = new HashSet<>(ids);
            q.removeIf(m -> set.contains(m.id()));
            if (q.isEmpty()) {
                queues.remove(new UserKey(devId, userId));
            }
        }
        return done(null);
    }

    @Override
    public synchronized CompletableFuture<Void> clearQueue(int devId, long userId) {
        queues.remove(new UserKey(devId, userId));
        return done(null);
    }

    @Override
    public synchronized CompletableFuture<List<PipeSetting>> pipeSettings() {
        List<PipeSetting> out = new ArrayList<>();
        settings.forEach((k, v) -> out.add(new PipeSetting(k.devId(), k.pipe(), v)));
        return done(out);
    }

    @Override
    public synchronized CompletableFuture<Void> putPipeSetting(int devId, String pipe, int length) {
        settings.put(new PipeKey(devId, pipe), length);
        return done(null);
    }

    @Override
    public synchronized CompletableFuture<Void> deletePipeSetting(int devId, String pipe) {
        settings.remove(new PipeKey(devId, pipe));
        history.remove(new PipeKey(devId, pipe));
        streams.remove(new PipeKey(devId, pipe));
        return done(null);
    }

    @Override
    public synchronized CompletableFuture<Void> appendHistory(int devId, String epoch, HistoryEntry entry, int keepNewest) {
        StreamPosition position = new StreamPosition(epoch, entry.offset()); // validates
        PipeKey key = new PipeKey(devId, entry.pipe());
        Deque<HistoryEntry> h = history.computeIfAbsent(key, k -> new ArrayDeque<>());
        h.addLast(entry);
        streams.put(key, position);
        if (keepNewest > 0) {
            while (h.size() > keepNewest) {
                h.removeFirst();
            }
        }
        return done(null);
    }

    @Override
    public synchronized CompletableFuture<List<HistoryEntry>> history(int devId, String pipe, int limit) {
        Deque<HistoryEntry> h = history.get(new PipeKey(devId, pipe));
        List<HistoryEntry> out = new ArrayList<>();
        if (h != null) {
            for (HistoryEntry e : h) {
                if (out.size() == limit) {
                    break;
                }
                out.add(e);
            }
        }
        return done(out);
    }

    @Override
    public synchronized CompletableFuture<Optional<StreamPosition>> stream(int devId, String pipe) {
        return done(Optional.ofNullable(streams.get(new PipeKey(devId, pipe))));
    }

    @Override
    public synchronized CompletableFuture<List<HistoryEntry>> historySince(int devId, String pipe, long afterOffset,
            int limit) {
        Deque<HistoryEntry> h = history.get(new PipeKey(devId, pipe));
        List<HistoryEntry> out = new ArrayList<>();
        if (h != null && limit != 0) {
            h.stream()
                    .filter(e -> e.offset() > afterOffset)
                    .sorted(Comparator.comparingLong(HistoryEntry::offset)) // stable: publish order on ties
                    .limit(limit < 0 ? Long.MAX_VALUE : limit)
                    .forEach(out::add);
        }
        return done(out);
    }

    @Override
    public synchronized CompletableFuture<Void> deleteHistory(int devId, String pipe) {
        history.remove(new PipeKey(devId, pipe));
        streams.remove(new PipeKey(devId, pipe));
        return done(null);
    }

    @Override
    public synchronized CompletableFuture<Void> deleteHistoryEntry(int devId, String id) {
        for (Map.Entry<PipeKey, Deque<HistoryEntry>> e : history.entrySet()) {
            if (e.getKey().devId() == devId) {
                e.getValue().removeIf(h -> h.id().equals(id));
            }
        }
        return done(null);
    }

    @Override
    public synchronized CompletableFuture<Optional<String>> userData(int devId, long userId) {
        return done(Optional.ofNullable(userData.get(new UserKey(devId, userId))));
    }

    @Override
    public synchronized CompletableFuture<Void> putUserData(int devId, long userId, String data) {
        userData.put(new UserKey(devId, userId), data);
        return done(null);
    }

    @Override
    public synchronized CompletableFuture<Void> deleteUserData(int devId, long userId) {
        userData.remove(new UserKey(devId, userId));
        return done(null);
    }

    @Override
    public synchronized CompletableFuture<Boolean> isRevoked(int devId, String token) {
        Set<String> s = revoked.get(devId);
        return done(s != null && s.contains(token));
    }

    @Override
    public synchronized CompletableFuture<Void> revoke(int devId, String token) {
        revoked.computeIfAbsent(devId, k -> new java.util.LinkedHashSet<>()).add(token);
        return done(null);
    }

    @Override
    public synchronized CompletableFuture<Void> unrevoke(int devId, String token) {
        Set<String> s = revoked.get(devId);
        if (s != null) {
            s.remove(token);
        }
        return done(null);
    }

    @Override
    public synchronized CompletableFuture<List<String>> revokedTokens(int devId) {
        Set<String> s = revoked.get(devId);
        return done(s == null ? List.of() : List.copyOf(s));
    }

    @Override
    public synchronized CompletableFuture<Void> purge(long queueBefore, long trustHistoryBefore) {
        if (queueBefore != Long.MIN_VALUE) {
            for (Iterator<Deque<QueuedMessage>> it = queues.values().iterator(); it.hasNext(); ) {
                Deque<QueuedMessage> q = it.next();
                q.removeIf(m -> m.time() < queueBefore);
                if (q.isEmpty()) {
                    it.remove();
                }
            }
        }
        if (trustHistoryBefore != Long.MIN_VALUE) {
            for (Map.Entry<PipeKey, Deque<HistoryEntry>> e : history.entrySet()) {
                if (e.getKey().pipe().startsWith("trust_")) {
                    e.getValue().removeIf(h -> h.time() < trustHistoryBefore);
                }
            }
        }
        return done(null);
    }

    @Override
    public CompletableFuture<Void> flush() {
        return done(null);
    }

    @Override
    public void close() {
        // nothing to release
    }
}

package io.comet.core.history;

import io.comet.core.PipeKey;
import io.comet.core.store.HistoryEntry;
import io.comet.core.store.Store;
import io.comet.core.store.StreamPosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Pipe history with stream positions on a {@link Store}: each append gets the pipe's next offset
 * (1, 2, 3 …) in the pipe's epoch; a pipe whose history is lost (new store, history deleted,
 * length set to 0) starts a new epoch. Appends are written through the store's group commit and
 * their continuations run once durable, in offset order per pipe, so delivery follows the
 * stream. A failed write leaves its offset unused (a hole that recovery reports as not
 * recovered); later offsets go on.
 */
public final class StreamLog {

    private final Store store;
    private final ConcurrentHashMap<PipeKey, Stream> streams = new ConcurrentHashMap<>();

    /** A log over {@code store}. */
    public StreamLog(Store store) {
        this.store = store;
    }

    /** A new epoch: 10 random base-36 characters. */
    static String newEpoch() {
        return Long.toString(ThreadLocalRandom.current().nextLong(1L << 51, Long.MAX_VALUE >>> 10), 36);
    }

    /**
     * Appends {@code entry} (offset not yet set) keeping the newest {@code keep} (0 = all);
     * {@code then} runs once the entry is durable, or has failed, with the entry at its offset
     * and the pipe's epoch — calls for one pipe in offset order.
     */
    public void append(int devId, HistoryEntry entry, int keep, Appended then) {
        stream(devId, entry.pipe()).append(new Pending(devId, entry, keep, then));
    }

    /** The pipe's position now (empty when it has no stream yet). */
    public CompletableFuture<Optional<StreamPosition>> position(int devId, String pipe) {
        return stream(devId, pipe).loaded().thenApply(s -> s.position());
    }

    /**
     * What a client at {@code epoch}/{@code offset} missed: every entry since, if the stream still
     * holds them all (at most {@code limit}), else {@link Recovery#lost}.
     */
    public CompletableFuture<Recovery> since(int devId, String pipe, String epoch, long offset, int limit) {
        return position(devId, pipe).thenCompose(p -> {
            String now = p.map(StreamPosition::epoch).orElse("");
            long last = p.map(StreamPosition::offset).orElse(0L);
            if (p.isEmpty() || !now.equals(epoch) || offset > last || offset < 0) {
                return CompletableFuture.completedFuture(Recovery.lost(now, last));
            }
            if (offset == last) {
                return CompletableFuture.completedFuture(new Recovery(true, now, offset, List.of()));
            }
            if (last - offset > limit) {
                return CompletableFuture.completedFuture(Recovery.lost(now, last));
            }
            return store.historySince(devId, pipe, offset, limit).thenApply(list -> {
                long expect = offset + 1;
                for (HistoryEntry e : list) {
                    if (e.offset() != expect) {
                        return Recovery.lost(now, last);
                    }
                    expect++;
                }
                // entries not yet durable are delivered live after this read (the caller buffers them)
                return new Recovery(true, now, expect - 1, list);
            });
        });
    }

    /** The {@code limit} oldest entries of a pipe with their offsets, and the epoch they belong to. */
    public CompletableFuture<Page> oldest(int devId, String pipe, int limit) {
        return position(devId, pipe).thenCompose(p -> store.history(devId, pipe, limit)
                .thenApply(list -> new Page(p.map(StreamPosition::epoch).orElse(""), list)));
    }

    /** Deletes a pipe's history and forgets its stream: the next append starts a new epoch. */
    public CompletableFuture<Void> drop(int devId, String pipe) {
        PipeKey key = new PipeKey(devId, pipe);
        return store.deleteHistory(devId, pipe).whenComplete((v, e) -> streams.remove(key));
    }

    /** Forgets the in-memory stream of a pipe whose history the caller deleted in the store. */
    public void forget(int devId, String pipe) {
        streams.remove(new PipeKey(devId, pipe));
    }

    private Stream stream(int devId, String pipe) {
        PipeKey key = new PipeKey(devId, pipe);
        Stream s = streams.get(key);
        if (s != null) {
            return s;
        }
        Stream fresh = new Stream();
        Stream won = streams.putIfAbsent(key, fresh);
        if (won != null) {
            return won;
        }
        store.stream(devId, pipe).whenComplete((p, err) -> {
            if (err != null) {
                streams.remove(key, fresh);
            }
            fresh.load(p, err);
        });
        return fresh;
    }

    /** Entries of a pipe in publish order and the epoch they belong to. */
    public record Page(String epoch, List<HistoryEntry> entries) {
    }

    /** What runs when an append is durable (or failed: {@code error} set). */
    @FunctionalInterface
    public interface Appended {
        void done(String epoch, HistoryEntry entry, Throwable error);
    }

    private record Pending(int devId, HistoryEntry entry, int keep, Appended then) {
    }

    /** One pipe's stream: epoch, last offset, and the chain that runs continuations in offset order. */
    private final class Stream {
        private String epoch;
        private long last;
        private boolean ready;
        private Throwable loadError;
        private List<Pending> waiting = new ArrayList<>();
        private final CompletableFuture<Stream> loaded = new CompletableFuture<>();
        private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

        void load(Optional<StreamPosition> p, Throwable err) {
            List<Pending> run;
            synchronized (this) {
                if (err == null) {
                    epoch = p.map(StreamPosition::epoch).orElseGet(StreamLog::newEpoch);
                    last = p.map(StreamPosition::offset).orElse(0L);
                } else {
                    loadError = err;
                }
                ready = true;
                run = waiting;
                waiting = null;
                for (Pending x : run) {
                    issue(x);
                }
            }
            if (err == null) {
                loaded.complete(this);
            } else {
                loaded.completeExceptionally(err);
            }
        }

        CompletableFuture<Stream> loaded() {
            return loaded;
        }

        synchronized Optional<StreamPosition> position() {
            return last == 0 && epoch == null ? Optional.empty() : Optional.of(new StreamPosition(epoch, last));
        }

        synchronized void append(Pending p) {
            if (!ready) {
                waiting.add(p);
            } else {
                issue(p);
            }
        }

        /** Under the lock: takes the next offset and writes; continuations chain in offset order. */
        private void issue(Pending p) {
            if (loadError != null) {
                p.then().done(null, p.entry(), loadError);
                return;
            }
            HistoryEntry at = p.entry().withOffset(++last);
            String ep = epoch;
            CompletableFuture<Void> write = store.appendHistory(p.devId(), ep, at, p.keep());
            tail = tail.thenCompose(v -> write.handle((x, err) -> {
                p.then().done(ep, at, err);
                return null;
            }));
        }
    }
}

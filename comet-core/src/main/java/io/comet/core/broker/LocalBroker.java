package io.comet.core.broker;

import io.comet.core.Message;
import io.comet.core.UserKey;
import io.comet.core.history.Recovery;
import io.comet.core.history.StreamLog;
import io.comet.core.store.HistoryEntry;
import io.comet.core.store.Store;
import io.comet.core.store.StreamPosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The single-process {@link Broker}: history and positions in the engine's {@link Store}
 * ({@link StreamLog}), publications delivered synchronously to every node attached to the same
 * {@link Hub}. One engine alone is the default deployment; several engines on one hub form an
 * in-process cluster (how the broker contract is tested).
 */
public final class LocalBroker implements Broker {

    /** What the nodes of one in-process deployment share: the stream log, the nodes, who is online. */
    public static final class Hub {
        private final StreamLog log;
        private final CopyOnWriteArrayList<BrokerNode> nodes = new CopyOnWriteArrayList<>();
        private final ConcurrentHashMap<UserKey, Integer> online = new ConcurrentHashMap<>();

        /** A hub keeping history in {@code store}. */
        public Hub(Store store) {
            this.log = new StreamLog(store);
        }
    }

    private final Hub hub;
    private volatile BrokerNode node;

    /** A broker of its own (one node) keeping history in {@code store}. */
    public LocalBroker(Store store) {
        this(new Hub(store));
    }

    /** A node of the in-process deployment {@code hub}. */
    public LocalBroker(Hub hub) {
        this.hub = Objects.requireNonNull(hub, "hub");
    }

    @Override
    public void start(BrokerNode node) {
        if (this.node != null) {
            throw new IllegalStateException("already started");
        }
        this.node = Objects.requireNonNull(node, "node");
        hub.nodes.add(node);
    }

    @Override
    public CompletableFuture<Publication> publish(int devId, String pipe, Message message, int keep,
                                                  long exceptSessionId) {
        if (keep < 0) {
            return CompletableFuture.completedFuture(new Publication(null, 0, deliver(devId, pipe, message,
                    exceptSessionId)));
        }
        CompletableFuture<Publication> done = new CompletableFuture<>();
        String event = message.event() == null || message.event().isEmpty() ? "undefined" : message.event();
        long sender = message.userId() == null ? 0 : message.userId();
        HistoryEntry entry = new HistoryEntry(UUID.randomUUID().toString(), message.sendTime(), pipe, event,
                Objects.requireNonNull(message.text(), "text"), sender, 0);
        hub.log.append(devId, entry, keep, (epoch, at, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
                return;
            }
            int n = deliver(devId, pipe, message.withPosition(epoch, at.offset()), exceptSessionId);
            done.complete(new Publication(epoch, at.offset(), n));
        });
        return done;
    }

    private int deliver(int devId, String pipe, Message m, long exceptSessionId) {
        int n = 0;
        for (BrokerNode b : hub.nodes) {
            n += b.deliver(devId, pipe, m, exceptSessionId);
        }
        return n;
    }

    @Override
    public CompletableFuture<Recovery> recover(int devId, String pipe, String epoch, long offset, int limit) {
        return hub.log.since(devId, pipe, epoch, offset, limit);
    }

    @Override
    public CompletableFuture<StreamLog.Page> history(int devId, String pipe, int limit) {
        return hub.log.oldest(devId, pipe, limit);
    }

    @Override
    public CompletableFuture<Optional<StreamPosition>> position(int devId, String pipe) {
        return hub.log.position(devId, pipe);
    }

    @Override
    public CompletableFuture<Void> dropHistory(int devId, String pipe) {
        return hub.log.drop(devId, pipe);
    }

    @Override
    public void forgetHistory(int devId, String pipe) {
        hub.log.forget(devId, pipe);
    }

    @Override
    public CompletableFuture<Integer> sendPrivate(int devId, long userId, Message message) {
        int n = 0;
        for (BrokerNode b : hub.nodes) {
            if (b != node) {
                n += b.deliverPrivate(devId, userId, message);
            }
        }
        return CompletableFuture.completedFuture(n);
    }

    @Override
    public CompletableFuture<Boolean> userConnected(int devId, long userId) {
        return CompletableFuture.completedFuture(hub.online.merge(new UserKey(devId, userId), 1, Integer::sum) == 1);
    }

    @Override
    public CompletableFuture<Boolean> userDisconnected(int devId, long userId) {
        boolean[] last = new boolean[1];
        hub.online.computeIfPresent(new UserKey(devId, userId), (k, n) -> {
            last[0] = n == 1;
            return n == 1 ? null : n - 1;
        });
        return CompletableFuture.completedFuture(last[0]);
    }

    @Override
    public CompletableFuture<Boolean> isOnline(int devId, long userId) {
        return CompletableFuture.completedFuture(hub.online.containsKey(new UserKey(devId, userId)));
    }

    @Override
    public CompletableFuture<Integer> subscriberCount(int devId, String pipe) {
        int n = 0;
        for (BrokerNode b : hub.nodes) {
            n += b.localSubscribers(devId, pipe);
        }
        return CompletableFuture.completedFuture(n);
    }

    @Override
    public CompletableFuture<List<Member>> members(int devId, String pipe) {
        List<Member> all = new ArrayList<>();
        for (BrokerNode b : hub.nodes) {
            all.addAll(b.localMembers(devId, pipe));
        }
        return CompletableFuture.completedFuture(all);
    }

    @Override
    public CompletableFuture<Integer> kick(int devId, long userId) {
        int n = 0;
        for (BrokerNode b : hub.nodes) {
            n += b.kick(devId, userId);
        }
        return CompletableFuture.completedFuture(n);
    }

    @Override
    public void close() {
        BrokerNode n = node;
        if (n != null) {
            hub.nodes.remove(n);
        }
    }
}

package io.comet.core.broker;

import io.comet.core.Message;
import io.comet.core.history.Recovery;
import io.comet.core.history.StreamLog;
import io.comet.core.store.StreamPosition;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Everything that must reach the other nodes of a deployment (docs/architecture.md, "the Broker
 * seam"): pipe publications with their stream positions, history by position, private messages
 * to a user's sessions, presence (users online and pipe members counted across nodes) and
 * control (kick a user everywhere). One broker per node; {@link LocalBroker} is the single-node
 * default. Every method is non-blocking and thread-safe; futures fail with a
 * {@link io.comet.core.CometException} when the broker cannot do the work.
 *
 * <p>Contract (tested by {@code BrokerContractTest} in the comet-core test-jar, run by every
 * implementation): per pipe, publications reach every subscriber on every node in offset order,
 * none lost or duplicated; offsets are 1, 2, 3 … within an epoch; history is read by position;
 * presence counts a user online once however many nodes hold his sessions.
 */
public interface Broker extends AutoCloseable {

    /** Connects the broker to its node; called once by the engine before anything else. */
    void start(BrokerNode node);

    /**
     * Publishes {@code message} to {@code pipe} on every node. With {@code keep} &ge; 0 the pipe
     * keeps history ({@code 0} = all, else the newest {@code keep}): the publication gets the next
     * offset, is durable before it is delivered, and its subscribers receive it
     * {@link Message#withPosition at its position}. {@code exceptSessionId} (0 = none) is skipped.
     */
    CompletableFuture<Publication> publish(int devId, String pipe, Message message, int keep, long exceptSessionId);

    /** What a client at {@code epoch}/{@code offset} missed on {@code pipe} (at most {@code limit} entries). */
    CompletableFuture<Recovery> recover(int devId, String pipe, String epoch, long offset, int limit);

    /** The {@code limit} oldest history entries of a pipe, with their epoch ({@code pipe_log}, SELECT). */
    CompletableFuture<StreamLog.Page> history(int devId, String pipe, int limit);

    /** The pipe's current position, empty when it keeps no history. */
    CompletableFuture<Optional<StreamPosition>> position(int devId, String pipe);

    /** Deletes a pipe's history: its next publication starts a new epoch. */
    CompletableFuture<Void> dropHistory(int devId, String pipe);

    /** A pipe's history was deleted in the store by other means (settings): forget its position. */
    void forgetHistory(int devId, String pipe);

    /** Delivers a private message to the user's receivers on the other nodes; completes with how many took it. */
    CompletableFuture<Integer> sendPrivate(int devId, long userId, Message message);

    /** This node has the user's first session; completes with true when the user is now online cluster-wide for the first time. */
    CompletableFuture<Boolean> userConnected(int devId, long userId);

    /** This node lost the user's last session; completes with true when the user is now offline everywhere. */
    CompletableFuture<Boolean> userDisconnected(int devId, long userId);

    /** True when the user has a session on some node. */
    CompletableFuture<Boolean> isOnline(int devId, long userId);

    /** Subscribers of a pipe on every node. */
    CompletableFuture<Integer> subscriberCount(int devId, String pipe);

    /** Subscribers of a pipe on every node. */
    CompletableFuture<List<Member>> members(int devId, String pipe);

    /**
     * A session of this node joined {@code pipe} (every join, in order with {@link #left}). A broker
     * that fans out per pipe listens to the pipe while this node has a session in it; the future
     * completes once this node will receive every publication applied after it (recovery reads
     * history only then). Default: nothing to do.
     */
    default CompletableFuture<Void> joined(int devId, String pipe, long sessionId, Member member) {
        return CompletableFuture.completedFuture(null);
    }

    /** The session left {@code pipe} (or closed). Default: nothing to do. */
    default void left(int devId, String pipe, long sessionId) {
    }

    /** Closes the user's connections on every node; completes with how many. */
    CompletableFuture<Integer> kick(int devId, long userId);

    /** Leaves the deployment (presence of this node's users is withdrawn). */
    @Override
    void close();
}

package io.comet.core.engine;

import io.comet.core.broker.Broker;
import io.comet.core.broker.Member;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A pipe's subscribers on every node of the deployment, as the broker counts them (CometQL
 * {@code pipes}, docs/cometql.md §3.2, and {@code users_in_pipes}, §3.3). With one node it is the
 * node's own count and members, in subscription order.
 */
public final class Everywhere {

    private final Broker broker;

    Everywhere(Broker broker) {
        this.broker = broker;
    }

    /** Connections subscribed to the pipe on every node. */
    public CompletableFuture<Integer> subscriberCount(int devId, String pipe) {
        return broker.subscriberCount(devId, pipe);
    }

    /** Subscribers of the pipe on every node. */
    public CompletableFuture<List<Member>> members(int devId, String pipe) {
        return broker.members(devId, pipe);
    }
}

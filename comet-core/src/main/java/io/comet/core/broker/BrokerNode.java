package io.comet.core.broker;

import io.comet.core.Message;
import java.util.List;

/**
 * The local side of one node, as its {@link Broker} sees it: where publications, private
 * messages and kicks from any node are delivered, and what the node can count locally.
 * Implemented by the engine; every method is non-blocking.
 */
public interface BrokerNode {

    /** Delivers a pipe publication to this node's subscribers but session {@code exceptSessionId}; returns copies accepted. */
    int deliver(int devId, String pipe, Message message, long exceptSessionId);

    /** Delivers a private message to this node's receivers of the user; returns copies accepted. */
    int deliverPrivate(int devId, long userId, Message message);

    /** Closes this node's connections of the user; returns how many. */
    int kick(int devId, long userId);

    /** Subscribers of a pipe on this node. */
    int localSubscribers(int devId, String pipe);

    /** Subscribers of a pipe on this node, in subscription order. */
    List<Member> localMembers(int devId, String pipe);
}

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

    /**
     * Publications of {@code pipe} were lost on the way to this node and cannot be replayed (the
     * broker's history was lost or trimmed): position-aware sessions are told they are not
     * recovered, at the pipe's position {@code epoch}/{@code offset} ({@code ""}/0 when unknown).
     */
    default void lost(int devId, String pipe, String epoch, long offset) {
    }

    /** The broker found that a user has no session left anywhere (his node was lost): watchers are told he is offline. */
    default void userGone(int devId, long userId) {
    }

    /** A user of this node reported gone (this node was taken for lost) is registered again: watchers are told he is online. */
    default void userBack(int devId, long userId) {
    }

    /** A member of {@code pipe} on a lost node is gone: the pipe's watchers are told (track_* leave). */
    default void memberGone(int devId, String pipe, Member member) {
    }

    /** A member of {@code pipe} on this node, reported gone, is registered again (track_* join). */
    default void memberBack(int devId, String pipe, Member member) {
    }
}

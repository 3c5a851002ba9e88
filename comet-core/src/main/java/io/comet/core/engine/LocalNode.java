package io.comet.core.engine;

import io.comet.core.ConnectRequest;
import io.comet.core.Message;
import io.comet.core.Session;
import io.comet.core.broker.BrokerNode;
import io.comet.core.broker.Member;
import io.comet.core.pipe.PipeRegistry;
import io.comet.core.presence.Presence;
import io.comet.core.privatemsg.PrivateDelivery;
import io.comet.core.session.SessionRegistry;
import java.util.ArrayList;
import java.util.List;

/** This node as its broker sees it: local pipes, private receivers and sessions. */
final class LocalNode implements BrokerNode {

    private final PipeRegistry pipes;
    private final PrivateDelivery privates;
    private final SessionRegistry sessions;
    private final Presence presence;

    LocalNode(PipeRegistry pipes, PrivateDelivery privates, SessionRegistry sessions, Presence presence) {
        this.pipes = pipes;
        this.privates = privates;
        this.sessions = sessions;
        this.presence = presence;
    }

    /** How the other nodes see {@code s}. */
    static Member member(Session s) {
        ConnectRequest r = s.request();
        return new Member(s.userId(), s.uuid(), r.ip(), r.userAgent(), r.language(), r.origin());
    }

    @Override
    public int deliver(int devId, String pipe, Message message, long exceptSessionId) {
        return pipes.deliver(devId, pipe, message, exceptSessionId);
    }

    @Override
    public int deliverPrivate(int devId, long userId, Message message) {
        return privates.deliverLocal(devId, userId, message);
    }

    @Override
    public int kick(int devId, long userId) {
        return sessions.kick(devId, userId);
    }

    @Override
    public int localSubscribers(int devId, String pipe) {
        return pipes.count(devId, pipe);
    }

    @Override
    public List<Member> localMembers(int devId, String pipe) {
        List<Member> out = new ArrayList<>();
        for (Session s : pipes.members(devId, pipe)) {
            out.add(member(s));
        }
        return out;
    }

    @Override
    public void lost(int devId, String pipe, String epoch, long offset) {
        Message report = Subscriptions.positionReport(pipe, epoch, offset, false);
        for (Session s : pipes.members(devId, pipe)) {
            if (s.isPositionAware()) {
                s.send(report);
            }
        }
    }

    @Override
    public void userGone(int devId, long userId) {
        presence.lostEverywhere(devId, userId);
    }

    @Override
    public void userBack(int devId, long userId) {
        presence.backOnline(devId, userId);
    }

    @Override
    public void memberGone(int devId, String pipe, Member m) {
        presence.tracked(devId, pipe, "unsubscription", m.userId(), m.uuid());
    }

    @Override
    public void memberBack(int devId, String pipe, Member m) {
        presence.tracked(devId, pipe, "subscription", m.userId(), m.uuid());
    }
}

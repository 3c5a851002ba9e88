package io.comet.core.session;

import io.comet.core.Session;
import java.util.ArrayList;
import java.util.List;

/**
 * The live sessions of one user on this node and which of them receive private messages (at
 * most {@link io.comet.core.CometConfig#maxSessionsPerUser()}). Only touched under the user's
 * lock ({@link SessionRegistry#withUser}).
 */
public final class UserSessions {

    private final List<Session> all = new ArrayList<>(2);
    private final List<Session> receivers = new ArrayList<>(2);

    UserSessions() {
    }

    /** Every live session of the user, in connect order. */
    public List<Session> all() {
        return all;
    }

    /** The sessions registered to receive private messages, in registration order. */
    public List<Session> receivers() {
        return receivers;
    }

    boolean add(Session s, int maxReceivers) {
        all.add(s);
        if (receivers.size() < maxReceivers) {
            receivers.add(s);
            s.privateReceiver(true);
            return true;
        }
        return false;
    }

    void remove(Session s) {
        all.remove(s);
        if (receivers.remove(s)) {
            s.privateReceiver(false);
            // promote an unregistered session so the user keeps up to max receivers
            for (Session other : all) {
                if (!other.isPrivateReceiver()) {
                    other.privateReceiver(true);
                    receivers.add(other);
                    break;
                }
            }
        }
    }
}

package io.comet.test;

import static io.comet.test.client.Waits.await;

import io.comet.core.engine.CometEngine;
import io.comet.server.CometServer;
import java.time.Duration;
import org.awaitility.core.ConditionTimeoutException;

/** What must be back to zero after a test, and waiting for a number of subscribers. */
final class LeakCheck {

    private LeakCheck() {
    }

    static void awaitNothingLeft(CometServer server, Duration timeout) {
        try {
            await("sessions and connections closed").atMost(timeout).until(() -> left(server).isEmpty());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("left after the test: " + left(server)
                    + " (close the clients the test opened, or use CometServerExtension.track)", e);
        }
    }

    static String left(CometServer server) {
        int sessions = server.engine().sessions().size();
        int connections = server.web().connectionCount();
        int longPolls = server.web().longPollSessionCount();
        int cometql = server.cometql().guards().connections().open();
        StringBuilder sb = new StringBuilder();
        if (sessions > 0) {
            sb.append(sessions).append(" engine session(s) ");
        }
        if (connections > 0) {
            sb.append(connections).append(" web connection(s) ");
        }
        if (longPolls > 0) {
            sb.append(longPolls).append(" long-poll session(s) ");
        }
        if (cometql > 0) {
            sb.append(cometql).append(" CometQL connection(s) ");
        }
        return sb.toString().trim();
    }

    static void awaitSubscribers(CometEngine engine, String pipe, int n) {
        await("subscribers of " + pipe).until(() -> engine.members(0, pipe).size() >= n);
    }
}

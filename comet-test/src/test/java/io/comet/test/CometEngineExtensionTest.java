package io.comet.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.comet.core.ConnectRequest;
import io.comet.core.engine.InProcessClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The in-process engine: chat logic without sockets, and its after-test check. */
class CometEngineExtensionTest {

    @RegisterExtension
    static final CometEngineExtension comet = new CometEngineExtension();

    @Test
    void aPrivateMessageAndAPublishReachInProcessClients() {
        comet.engine().accounts().putAuthHash(0, 9, "key9").join();
        InProcessClient nine = comet.user(9, "key9");
        InProcessClient tab = comet.anonymous();
        tab.subscribe(List.of("web_chat"));
        comet.engine().publish(0, "web_chat", "message", "hi").join();
        assertThat(tab.await(m -> m.pipe().equals("web_chat"), Duration.ofSeconds(5)).text()).isEqualTo("hi");
        comet.engine().sendPrivate(0, 9, "note", "for nine").join();
        assertThat(nine.await(m -> m.pipe().equals("msg"), Duration.ofSeconds(5)).text()).isEqualTo("for nine");
    }

    @Test
    void aTestThatLeavesASessionFailsNamingIt() {
        CometServerExtensionTest.kit(LeavesASession.class).testEvents()
                .failed().assertThatEvents().haveExactly(1, finishedWithFailure(
                        message(m -> m.startsWith("left after the test: 1 engine session(s)"))));
    }

    /** Run through the test kit only (skipped when a -Dtest pattern makes surefire pick it up). */
    @EnabledIfSystemProperty(named = CometServerExtensionTest.FIXTURE, matches = "true")
    static class LeavesASession {
        @RegisterExtension
        final CometEngineExtension engine = new CometEngineExtension();

        @Test
        void connectsBehindTheExtensionsBack() {
            engine.engine().connectInProcess(ConnectRequest.anonymous(0, "left0123456789abcdefghijklmnopqr"));
        }
    }
}

package io.comet.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.test.client.CometQlClient;
import io.comet.test.client.CometWsClient;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ChatBackendTest {

    /** The backend under test: it logs users in and posts through CometQL, as any backend does. */
    static final class ChatBackend {
        private final CometQlClient comet;

        ChatBackend(CometQlClient comet) {
            this.comet = comet;
        }

        String login(long userId) {
            String key = UUID.randomUUID().toString().replace("-", "");
            comet.authorize(userId, key);
            return key;
        }

        void post(String room, long from, String text) {
            comet.publish("web_" + room, "message", from + ": " + text);
        }

        void whisper(long to, String text) {
            comet.sendPrivate(to, "whisper", text);
        }
    }

    @RegisterExtension
    static final CometServerExtension comet = new CometServerExtension();

    @Test
    void aPostReachesEveryoneInTheRoom() throws Exception {
        ChatBackend backend = new ChatBackend(comet.cometql());
        CometWsClient alice = comet.browser(1, backend.login(1));
        CometWsClient bob = comet.browser(2, backend.login(2));
        alice.subscribe("web_lobby");
        bob.subscribe("web_lobby");
        comet.awaitSubscribers("web_lobby", 2);

        backend.post("lobby", 1, "hi all");

        assertThat(alice.awaitData("web_lobby", "message")).isEqualTo("1: hi all");
        assertThat(bob.awaitData("web_lobby", "message")).isEqualTo("1: hi all");
    }

    @Test
    void aWhisperWaitsUntilItsUserComesOnline() {
        ChatBackend backend = new ChatBackend(comet.cometql());
        String key = backend.login(3);
        backend.whisper(3, "see you at 5");            // user 3 is offline: queued

        CometWsClient carol = comet.browser(3, key);   // comes online later
        assertThat(carol.await("sys", "serverInfo")).containsEntry("authorized", true);
        assertThat(carol.awaitData("msg", "whisper")).isEqualTo("see you at 5");
    }
}

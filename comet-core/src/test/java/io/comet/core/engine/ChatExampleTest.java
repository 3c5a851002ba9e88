package io.comet.core.engine;

import io.comet.core.*;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tiny chat shown in comet-core/README.md, kept compiling and passing. */
class ChatExampleTest {

    /** The application logic under test: a backend that greets users and relays to a room. */
    static final class ChatBackend {
        private final CometEngine comet;

        ChatBackend(CometEngine comet) {
            this.comet = comet;
        }

        String login(long userId) {
            String hash = "h" + userId;
            comet.accounts().putAuthHash(0, userId, hash).join();
            return hash;
        }

        void join(long userId) {
            comet.publish(0, "web_room", "joined", "{\"user\":" + userId + "}");
            comet.sendPrivate(0, userId, "welcome", "Hello, " + userId).join();
        }
    }

    @Test
    void tinyChat() {
        try (CometEngine comet = CometEngine.builder().build()) {
            ChatBackend backend = new ChatBackend(comet);
            InProcessClient alice = comet.connectInProcess(ConnectRequest.user(0, 1, backend.login(1), "alice-tab"));
            InProcessClient bob = comet.connectInProcess(ConnectRequest.user(0, 2, backend.login(2), "bob-tab"));
            alice.subscribe(List.of("web_room"));
            bob.subscribe(List.of("web_room"));

            backend.join(2);
            assertThat(alice.await(m -> m.event().equals("joined"), Duration.ofSeconds(1)).text())
                    .isEqualTo("{\"user\":2}");
            assertThat(bob.await(m -> m.pipe().equals("msg"), Duration.ofSeconds(1)).text()).isEqualTo("Hello, 2");

            bob.publish("web_room", "say", "\"hi all\"");
            Message said = alice.await(m -> m.event().equals("say"), Duration.ofSeconds(1));
            assertThat(said.userId()).as("stamped by the server").isEqualTo(2);
            assertThat(bob.await(m -> m.pipe().equals("_answer_to_web_room"), Duration.ofSeconds(1)).data())
                    .isEqualTo(java.util.Map.of("message", "\"hi all\"", "number_messages", 1));
        }
    }
}

package io.comet.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.core.ConnectRequest;
import io.comet.core.Message;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue [8] point 5: every read obeys the access rule of {@code subscription} (Rules.mayRead). */
class AccessRulesTest {

    private final CometEngine engine = CometEngine.builder().maintenanceIntervalSeconds(0).build();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void anAnonymousConnectionReadsNoPrivateHistory() {
        engine.history().setLength(0, "private_room", 10).join();
        engine.publish(0, "private_room", "e", "secret").join();
        InProcessClient anon = engine.connectInProcess(ConnectRequest.anonymous(0, "a"));
        assertThat(anon.subscribe(List.of("private_room")).skipped()).containsExactly("private_room");
        assertThat(engine.pipeLog(anon.session(), "private_room").join()).isZero();
        engine.publish(0, "private_room", "e", "later").join();
        assertThat(anon.messages()).extracting(Message::pipe).containsOnly("sys");

        engine.accounts().putAuthHash(0, 5, "h5").join();
        InProcessClient user = engine.connectInProcess(ConnectRequest.user(0, 5, "h5", "u"));
        assertThat(engine.pipeLog(user.session(), "private_room").join()).isEqualTo(2);
    }
}

package io.comet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.core.ConnectRequest;
import io.comet.core.engine.InProcessClient;
import io.comet.core.Message;
import io.comet.test.CometServerExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The backend's CometQL helper: literal escaping, and each statement against a real CometQL listener (the test kit's server). */
class CometQlTest {

    @Test
    void quoteEscapesWhatMysqlRealEscapeStringEscapes() {
        assertThat(CometQl.quote("plain")).isEqualTo("'plain'");
        assertThat(CometQl.quote("it's \"x\" \\ \n\r\0\u001a")).isEqualTo("'it\\'s \\\"x\\\" \\\\ \\n\\r\\0\\Z'");
        assertThat(CometQl.quote("Привет")).isEqualTo("'Привет'");
    }

    @RegisterExtension
    static final CometServerExtension comet = new CometServerExtension();

    @Test
    void everyStatementRoundTripsThroughCometQl() throws Exception {
        try (CometQl ql = new CometQl(comet.jdbcUrl(), "root", comet.password())) {
            InProcessClient tab = comet.engine().connectInProcess(ConnectRequest.anonymous(0, "tab-1"));
            tab.subscribe(List.of("web_room", "track_online"));

            String tricky = "{\"text\":\"it's a \\\"quote\\\", a \\\\ backslash,\\nа новая строка'); DROP --\"}";
            ql.publish("web_room", "say", tricky);
            Message m = tab.await(x -> x.pipe().equals("web_room"), Duration.ofSeconds(5));
            assertThat(m.text()).as("delivered byte for byte").isEqualTo(tricky);
            assertThat(m.event()).isEqualTo("say");

            ql.authorize(7, "key7");
            assertThat(comet.engine().accounts().authHash(0, 7).join()).contains("key7");
            InProcessClient user = comet.engine().connectInProcess(ConnectRequest.user(0, 7, "key7", "tab-7"));
            user.subscribe(List.of("track_online"));
            assertThat(ql.usersInPipe("track_online")).containsExactlyInAnyOrder(0L, 7L);
            assertThat(ql.lastOnline(7)).isZero();

            ql.sendToUser(7, "notify", "{\"text\":\"hi\"}");
            assertThat(user.await(x -> x.pipe().equals("msg"), Duration.ofSeconds(5)).text()).isEqualTo("{\"text\":\"hi\"}");

            ql.deauthorize(7);
            assertThat(comet.engine().accounts().authHash(0, 7).join()).isEmpty();
            tab.disconnect();
            user.disconnect();
        }
    }
}

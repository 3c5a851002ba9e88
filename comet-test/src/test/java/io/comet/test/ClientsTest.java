package io.comet.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.comet.test.client.CometQlClient;
import io.comet.test.client.CometWsClient;
import io.comet.test.client.WsFrame;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit's clients against a real server: what each helper claims, and that its awaits fail clearly. */
class ClientsTest {

    @RegisterExtension
    static final CometServerExtension comet = new CometServerExtension();

    @Test
    void theWebSocketClientOpensLikeTheV4ClientAndPublishesFromTheBrowser() throws Exception {
        CometWsClient sender = comet.browser();
        CometWsClient receiver = comet.browser();
        assertThat(sender.handshake()).startsWith("HTTP/1.1 101");
        assertThat(receiver.await("sys", "serverInfo")).containsEntry("authorized", false);
        receiver.subscribe("web_room", "web_other");
        comet.awaitSubscribers("web_room", 1);
        assertThat(comet.engine().members(0, "web_other")).hasSize(1);
        sender.webPublish("web_room", "said", "\"hi\"");
        Map<String, Object> m = receiver.await("web_room", "said");
        assertThat(m).containsEntry("data", "\"hi\"").containsEntry("user_id", 0L);
        assertThat(sender.await("_answer_to_web_room", "answer").get("data")).isInstanceOf(Map.class);
        assertThat(receiver.count(WsFrame.CLOSE)).isZero();
    }

    @Test
    void anAwaitThatTimesOutNamesWhatCameInstead() {
        CometWsClient c = comet.browser();
        c.await("sys", "serverInfo");
        assertThatThrownBy(() -> c.await("web_never", "x", Duration.ofMillis(100))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("no matching message; got [").hasMessageContaining("serverInfo");
    }

    @Test
    void theCometQlClientQueriesWithArgumentsAndReportsErrors() {
        CometQlClient ql = comet.cometql();
        ql.update("INSERT INTO users_data (id, data) VALUES (?, ?)", 7, "it's \"quoted\"");
        assertThat(ql.query("SELECT * FROM users_data WHERE id = ?", 7)).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("data", "it's \"quoted\""));
        assertThatThrownBy(() -> ql.query("SELECT * FROM no_such_table")).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("CometQL: SELECT * FROM no_such_table: ").hasMessageContaining("error ");
    }

    @Test
    void theEngineSeesTheSameServer() throws Exception {
        CometWsClient c = comet.browser();
        c.subscribe("web_engine");
        comet.awaitSubscribers("web_engine", 1);
        comet.engine().publish(0, "web_engine", "ev", "from Java").join();
        assertThat(c.awaitData("web_engine", "ev")).isEqualTo("from Java");
    }
}

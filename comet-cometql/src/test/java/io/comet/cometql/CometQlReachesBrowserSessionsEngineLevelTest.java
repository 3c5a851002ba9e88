package io.comet.cometql;

import static io.comet.test.client.Waits.await;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.core.ConnectRequest;
import io.comet.core.engine.InProcessClient;
import io.comet.core.Message;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 4 at the engine level: CometQL statements sent over a real MySQL connection
 * (Connector/J) reach browser sessions through the same {@code CometEngine} the WebSocket
 * transport uses. The browser side here is the engine's in-process client (the socket-level
 * WebSocket variant lives in the launcher, which wires both transports).
 */
class CometQlReachesBrowserSessionsEngineLevelTest {

    static TestServer ts;

    @BeforeAll
    static void start() {
        ts = new TestServer();
    }

    @AfterAll
    static void stop() {
        ts.close();
    }

    private static Connection jdbc() throws Exception {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + ts.port() + "/CometQL_v1", "root", TestServer.PASSWORD);
    }

    @Test
    void rowInsertedIntoPipesMessagesReachesASubscribedBrowserSession() throws Exception {
        InProcessClient browser = ts.engine.connectInProcess(ConnectRequest.anonymous(0, "browser-1"));
        browser.subscribe(List.of("web_news"));
        try (Connection c = jdbc(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO pipes_messages (name, event, message) VALUES ('web_news', 'update', '{\"n\":1}')");
        }
        Message m = browser.await(x -> x.pipe().equals("web_news"), Duration.ofSeconds(5));
        assertThat(m.event()).isEqualTo("update");
        assertThat(m.text()).isEqualTo("{\"n\":1}");
        assertThat(m.sendTime()).isPositive();
        browser.disconnect();
    }

    @Test
    void usersAuthInsertedOverCometQlAuthorizesABrowserSessionAndPrivateMessagesArrive() throws Exception {
        try (Connection c = jdbc(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO users_auth (id, hash) VALUES (77, 'secretHash77')");
            InProcessClient denied = ts.engine.connectInProcess(ConnectRequest.user(0, 77, "wrongHash", "tab-x"));
            assertThat(denied.session().isAuthorized()).isFalse();
            InProcessClient tab = ts.engine.connectInProcess(ConnectRequest.user(0, 77, "secretHash77", "tab-77"));
            assertThat(tab.session().isAuthorized()).isTrue();
            Message info = tab.await(x -> x.event() != null && x.event().equals("serverInfo"), Duration.ofSeconds(5));
            assertThat(info.extra()).containsEntry("authorized", true);
            st.executeUpdate("INSERT INTO users_messages (id, event, message) VALUES (77, 'hello', 'just for you')");
            assertThat(tab.await(x -> x.pipe().equals("msg"), Duration.ofSeconds(5)).text()).isEqualTo("just for you");
            st.executeUpdate("DELETE FROM users_auth WHERE id = 77");
            await("tab::isClosed").atMost(Duration.ofSeconds(5)).until(tab::isClosed);
            denied.disconnect();
        }
    }
}

package io.comet.transport;

import static io.comet.test.client.Waits.await;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.test.client.CometWsClient;
import io.comet.test.client.WsFrame;
import io.comet.test.client.ClientPaths;
import io.comet.core.engine.CometEngine;
import io.comet.core.Session;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives the server over real sockets exactly as the original CometServerApi.js does (URL form,
 * subscription on open, statistics after open) and checks every command and message kind of
 * client-protocol.md §2 and §3.
 */
class WebSocketIntegrationTest {

    private static final Duration T = Duration.ofSeconds(5);

    private ServerFixture f;
    private CometEngine engine;

    @BeforeEach
    void start() {
        f = new ServerFixture();
        engine = f.engine;
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    private static Map<String, Object> serverInfo(CometWsClient c) {
        return c.await("sys", "serverInfo");
    }

    @Test
    void anonymousClientLikeCometServerApi408() throws Exception {
        CometWsClient c = f.anonymous(ServerFixture.UUID_A);
        Map<String, Object> info = serverInfo(c);
        assertThat(c.messages().get(0)).as("serverInfo is the first message").isEqualTo(info);
        assertThat(info).containsEntry("authorized", false).containsEntry("data", "")
                .containsEntry("server", engine.config().serverName()).containsKey("message_send_time");
        // on open: the full subscription list; ≈5 s later (shortened here): statistics
        c.send("subscription\nweb_chat\nuser_status_7");
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            ScheduledFuture<?> stat = timer.schedule(() -> {
                c.send("statistics\n{\"url\":\"https://site.example/\",\"dev_id\":\"0\",\"version\":\"4.08\"}");
                return null;
            }, 200, TimeUnit.MILLISECONDS);
            await("subscribed").atMost(T).until(() -> engine.subscriberCount(0, "web_chat") == 1);
            engine.publish(0, "web_chat", "newmsg", "{\"text\":\"hi\"}");
            assertThat(c.await("web_chat", "newmsg")).containsEntry("data", "{\"text\":\"hi\"}")
                    .doesNotContainKey("user_id");
            stat.get(5, TimeUnit.SECONDS);
            engine.publish(0, "web_chat", "after_stat", "x");
            c.await("web_chat", "after_stat"); // statistics was accepted and ignored, not a disconnect
            assertThat(c.isEof()).isFalse();
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void handshakeIsTheOriginalOne() throws Exception {
        CometWsClient c = f.anonymous("u1");
        assertThat(c.handshake()).isEqualTo("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Version: 13\r\n\r\n");
        CometWsClient p = f.open(ClientPaths.of("", "x", 0, 0, "4.08", "u2"), "Sec-WebSocket-Protocol: foo\r\n");
        assertThat(p.handshake()).contains("Sec-WebSocket-Protocol: chat\r\n").doesNotContain("Extensions");
    }

    @Test
    void everyUrlFormIsAccepted() throws Exception {
        for (String prefix : List.of("", "/", "/comet-server", "//comet-server", "/comet-server/")) {
            CometWsClient c = f.open(ClientPaths.of(prefix, "k", 0, 0, "4.08", "u"));
            assertThat(serverInfo(c)).as(prefix).containsEntry("authorized", false);
        }
        // the load-test URL of the original: empty myid, v 3.24
        CometWsClient old = f.open("/comet-server/ws/sesion=&myid=&devid=0&v=3.24&uuid=48wTOvoa-uEtC0thHzBkIKir14sXgkOy&api=js");
        assertThat(serverInfo(old)).containsEntry("authorized", "false");
    }

    @Test
    void authSuccessAndFailureWithRawCredential() throws Exception {
        engine.accounts().putAuthHash(0, 5, "a1b2c3").join();
        engine.accounts().putAuthHash(0, 6, "ab+c/d==").join();
        Map<String, Object> ok = serverInfo(f.v4(5, "a1b2c3", ServerFixture.UUID_A));
        assertThat(ok).containsEntry("authorized", true).containsEntry("data", "a1b2c3");
        Map<String, Object> raw = serverInfo(f.v4(6, "ab+c/d==", "u6"));
        assertThat(raw).as("+ / = are not URL-decoded").containsEntry("authorized", true);
        Map<String, Object> bad = serverInfo(f.v4(5, "wrong", "u7"));
        assertThat(bad).containsEntry("authorized", false).containsEntry("data", "");
        Map<String, Object> leadingZeros = serverInfo(f.v4("005", "a1b2c3", "u8"));
        assertThat(leadingZeros).containsEntry("authorized", true);
        // JWT: key = password + dev_id
        String jwt = engine.accounts().signJwt(0, 9, engine.nowSeconds() + 600);
        assertThat(serverInfo(f.v4(9, jwt, "u9"))).containsEntry("authorized", true);
        assertThat(serverInfo(f.v4(8, jwt, "u10"))).containsEntry("authorized", false);
    }

    @Test
    void privateMessagesReachBothSessionsOfOneUser() throws Exception {
        engine.accounts().putAuthHash(0, 5, "h5").join();
        CometWsClient tab1 = f.v4(5, "h5", "tab1");
        CometWsClient tab2 = f.v4(5, "h5", "tab2");
        serverInfo(tab1);
        serverInfo(tab2);
        await("both registered").atMost(T).until(() -> engine.sessionsOf(0, 5).size() == 2);
        assertThat(engine.sendPrivate(0, 5, "ev1", "hello").join()).isEqualTo(2);
        for (CometWsClient c : List.of(tab1, tab2)) {
            assertThat(c.await("msg", "ev1")).isEqualTo(Map.of("data", "hello", "event", "ev1", "pipe", "msg"));
        }
    }

    @Test
    void offlineQueueIsReplayedAfterServerInfo() throws Exception {
        engine.accounts().putAuthHash(0, 7, "h7").join();
        assertThat(engine.sendPrivate(0, 7, "q1", "first").join()).isZero();
        assertThat(engine.sendPrivate(0, 7, "q2", "second").join()).isZero();
        CometWsClient c = f.v4(7, "h7", "u");
        List<Map<String, Object>> q = c.awaitCount(m -> "msg".equals(m.get("pipe")), 2, T);
        assertThat(c.messages().get(0)).containsEntry("event", "serverInfo");
        assertThat(q.get(0)).containsEntry("data", "first").containsEntry("fromQueue", true).containsKey("message_send_time");
        assertThat(q.get(1)).containsEntry("data", "second");
        assertThat(engine.accounts().queuedMessages(0, 7).join()).isEmpty();
    }

    @Test
    void userStatusOnlineAndOffline() throws Exception {
        engine.accounts().putAuthHash(0, 5, "h5").join();
        CometWsClient watcher = f.anonymous("w");
        serverInfo(watcher);
        watcher.send("subscription\nuser_status_5");
        await("subscribed").atMost(T).until(() -> engine.subscriberCount(0, "user_status_5") == 1);
        CometWsClient user = f.v4(5, "h5", "u");
        assertThat(watcher.await("user_status_5", "online")).isEqualTo(
                Map.of("data", "online", "event", "online", "pipe", "user_status_5"));
        user.close();
        assertThat(watcher.await("user_status_5", "offline")).containsEntry("data", "offline");
        watcher.send("user_status\n5");
        Map<String, Object> st = watcher.await("_answer_user_status", "user_status_5");
        assertThat(st.get("data")).isInstanceOf(Map.class);
    }

    @Test
    void trackEventsAndTrackPipeUsers() throws Exception {
        engine.accounts().putAuthHash(0, 5, "h5").join();
        CometWsClient a = f.anonymous("uuid-a");
        serverInfo(a);
        a.send("subscription\ntrack_online");
        await("a subscribed").atMost(T).until(() -> engine.subscriberCount(0, "track_online") == 1);
        CometWsClient b = f.v4(5, "h5", "uuid-b");
        serverInfo(b);
        b.send("subscription\ntrack_online\nweb_x");
        Map<String, Object> sub = a.await("track_online", "subscription");
        assertThat(sub.get("data")).isEqualTo(Map.of("user_id", 5L, "uuid", "uuid-b"));
        assertThat(sub).containsKey("message_send_time");
        a.send("track_pipe_users\ntrack_online\n5300317326");
        Map<String, Object> list = a.await("_answer", "answer");
        assertThat(list).containsEntry("marker", "5300317326").containsEntry("_info", "answer for track_pipe_users");
        assertThat((List<?>) list.get("data")).hasSize(2);
        b.send("subscription\nweb_x"); // the whole set is replaced: b leaves track_online
        Map<String, Object> unsub = a.await("track_online", "unsubscription");
        assertThat(unsub.get("data")).isEqualTo(Map.of("user_id", 5L, "uuid", "uuid-b"));
        assertThat(b.messages()).noneMatch(m -> "track_online".equals(m.get("pipe")));
        b.send("pipe_count\ntrack_online\n4935884426\n");
        assertThat(b.await("_answer_pipe_count", "user_in_pipe")).containsEntry("marker", "4935884426")
                .containsEntry("data", List.of("user_in_pipe", 1L));
    }

    @Test
    void subscriptionReplacesTheWholeSet() throws Exception {
        CometWsClient c = f.anonymous("u");
        serverInfo(c);
        c.send("subscription\nweb_a\nweb_b");
        await("subscribed").atMost(T).until(() -> engine.subscriberCount(0, "web_b") == 1);
        c.send("subscription\nweb_b");
        await("left web_a").atMost(T).until(() -> engine.subscriberCount(0, "web_a") == 0);
        engine.publish(0, "web_a", "e", "not for you");
        engine.publish(0, "web_b", "e", "for you");
        c.await("web_b", "e");
        assertThat(c.messages()).noneMatch(m -> "web_a".equals(m.get("pipe")));
        // separators: any char outside [A-Za-z0-9_-]; a 1-char name ends the list
        c.send("subscription\nweb_c.web_d,web_e web_f\nx\nweb_g");
        await("set replaced").atMost(T).until(() -> engine.subscriberCount(0, "web_f") == 1);
        Session s = engine.sessions().iterator().next();
        assertThat(s.subscriptions()).containsExactlyInAnyOrder("web_c", "web_d", "web_e", "web_f");
    }

    @Test
    void webPipe2StampsTheSenderAndReports() throws Exception {
        engine.accounts().putAuthHash(0, 5, "h5").join();
        CometWsClient sender = f.v4(5, "h5", "s");
        CometWsClient other = f.anonymous("o");
        serverInfo(sender);
        serverInfo(other);
        sender.send("subscription\nweb_chat");
        other.send("subscription\nweb_chat");
        await("subscribed").atMost(T).until(() -> engine.subscriberCount(0, "web_chat") == 2);
        sender.send("web_pipe2\nweb_chat\nnewmsg\n*\n{\"text\":\"it's \\\"hello\\\"\"}");
        Map<String, Object> got = other.await("web_chat", "newmsg");
        assertThat(got).containsEntry("data", "{\"text\":\"it's \\\"hello\\\"\"}").containsEntry("user_id", 5L)
                .containsKey("message_send_time");
        Map<String, Object> report = sender.await("_answer_to_web_chat", "answer");
        assertThat(report.get("data")).isEqualTo(Map.of("message", "{\"text\":\"it's \\\"hello\\\"\"}",
                "number_messages", 1L));
        assertThat(sender.messages()).noneMatch(m -> "web_chat".equals(m.get("pipe")));
        // raw bytes: the apostrophe is sent as \u0027 (§4.14)
        assertThat(other.frames().stream().map(WsFrame::text).filter(t -> t.contains("newmsg")).findFirst()
                .orElseThrow()).contains("it\\u0027s").doesNotContain("'");
        // @web_: anonymous send, stamped 0
        sender.send("web_pipe2\n@web_chat\nanon\n*\n\"x\"");
        assertThat(other.await("web_chat", "anon")).containsEntry("user_id", 0L);
        // anonymous publish to webauth_ is refused with the spec's text and number_messages -1
        other.send("web_pipe2\nwebauth_x\nev\n*\n\"x\"");
        Map<String, Object> err = other.await("sys", "error");
        assertThat(err.get("data")).isEqualTo(Map.of("error", "[webauth_pipe_msg2] Invalid user auth. In to channel with "
                + "name like webauth_* can not send messages anonim users", "number_messages", -1L));
    }

    @Test
    void webPipe2Errors() throws Exception {
        CometWsClient c = f.anonymous("u");
        serverInfo(c);
        c.send("web_pipe2\nchat\nev\n*\n\"x\"");
        c.send("web_pipe2\nweb_chat\nev\n**\n\"x\"");
        c.send("web_pipe2\nweb_ch.at\nev\n*\n\"x\"");
        c.send("web_pipe2\nweb_chat\nev.x\n*\n\"x\"");
        List<Map<String, Object>> errs = c.awaitCount(m -> "error".equals(m.get("event")), 4, T);
        assertThat(errs.get(0).get("data")).isEqualTo(Map.of("error",
                "[pipe_msg2] Invalid channel name. The channel should begin with web_", "number_messages", -1L));
        assertThat(errs.get(1).get("data")).isEqualTo(Map.of("error", "Invalid value auth_type", "number_messages", -1L));
        assertThat(errs.get(2).get("data")).isEqualTo(Map.of("error",
                "The channel name can only contain characters A-Za-z0-9_-", "number_messages", -1L));
        assertThat(errs.get(3).get("data")).isEqualTo(Map.of("error",
                "The event name can only contain characters A-Za-z0-9_-"));
        assertThat(errs).allSatisfy(e -> assertThat(e).containsEntry("pipe", "sys"));
    }

    @Test
    void pipeLogReplaysHistoryWithoutMarker() throws Exception {
        engine.history().setLength(0, "web_log", 10).join();
        engine.publish(0, "web_log", "m", "one");
        engine.publish(0, "web_log", "m", "two");
        await("history stored").atMost(T).until(() -> engine.history().oldest(0, "web_log").join().size() == 2);
        CometWsClient c = f.anonymous("u");
        serverInfo(c);
        c.send("pipe_log\nweb_log\n3141592653\n");
        List<Map<String, Object>> h = c.awaitCount(m -> "web_log".equals(m.get("pipe")), 2, T);
        assertThat(h.get(0)).containsEntry("data", "one").containsEntry("fromQueue", true).containsEntry("user_id", 0L)
                .doesNotContainKey("marker");
        assertThat(h.get(1)).containsEntry("data", "two");
        c.send("pipe_log\nweb.log\n3141592653\n");
        c.send("pipe_log\nweb_log\n31415.2653\n");
        List<Map<String, Object>> errs = c.awaitCount(m -> "error".equals(m.get("event")), 2, T);
        assertThat(errs.get(0).get("data")).isEqualTo(Map.of("error", "Invalid channel name.", "number_messages", -1L));
        assertThat(errs.get(1).get("data")).isEqualTo(Map.of("error", "Invalid marker value.", "number_messages", -1L));
    }

    @Test
    void pipeCountAndUserData() throws Exception {
        engine.accounts().putUserData(0, 7, "{\"name\":\"Bob\"}").join();
        CometWsClient c = f.anonymous("u");
        serverInfo(c);
        c.send("subscription\nweb_count");
        await("subscribed").atMost(T).until(() -> engine.subscriberCount(0, "web_count") == 1);
        c.send("pipe_count\nweb_count\n4935884426\n");
        assertThat(c.await("_answer_pipe_count", "user_in_pipe")).isEqualTo(Map.of("data", List.of("user_in_pipe", 1L),
                "event", "user_in_pipe", "marker", "4935884426", "message_send_time",
                c.await("_answer_pipe_count", null).get("message_send_time"), "pipe", "_answer_pipe_count"));
        c.send("user_data\n5598169083\n7");
        Map<String, Object> ud = c.await(m -> "5598169083".equals(m.get("marker")), T);
        assertThat(ud).containsEntry("pipe", "_answer").containsEntry("event", "answer");
        assertThat(ud.get("data")).isEqualTo(Map.of("user_data", "{\"name\":\"Bob\"}", "user_id", 7L));
        c.send("user_data\n1111111111\n8");
        assertThat(c.await(m -> "1111111111".equals(m.get("marker")), T).get("data"))
                .isEqualTo(Map.of("user_data", "", "user_id", 8L));
        c.send("pipe_count\nchat\n4935884426\n");
        c.send("track_pipe_users\nweb_count\n5300317326");
        c.send("user_data\n55981.9083\n7");
        c.send("user_data\n5598169083\nabc");
        List<Map<String, Object>> errs = c.awaitCount(m -> "error".equals(m.get("event")), 5, T);
        assertThat(errs.get(0).get("data")).isEqualTo(Map.of("error",
                "[pipe_count] Invalid channel name. The channel should start with web_", "number_messages", -1L));
        assertThat(errs.get(1).get("data")).isEqualTo(Map.of("error",
                "[track_pipe_users] Invalid channel name. The channel should start with track_", "user_id", -1L));
        assertThat(errs.get(2).get("data")).isEqualTo(Map.of("error",
                "The channel name can only contain characters A-Za-z0-9_-", "number_messages", -1L));
        assertThat(errs.get(3).get("data")).isEqualTo(Map.of("error", "Invalid marker name.", "user_id", -1L,
                "user_data", ""));
        assertThat(errs.get(4).get("data")).isEqualTo(Map.of("error", "Invalid user id", "user_id", -1L,
                "user_data", ""));
    }

    @Test
    void stubsAreAcceptedSilently() throws Exception {
        CometWsClient c = f.anonymous("u");
        serverInfo(c);
        c.send("cgi_call\nanything");
        c.send("CometQL_call\n1234567890\njwt");
        c.send("statistics\n{}");
        c.send("subscription\nweb_after");
        await("still alive").atMost(T).until(() -> engine.subscriberCount(0, "web_after") == 1);
        assertThat(c.messages()).hasSize(1);
    }

    @Test
    void legacyFormatForV3Clients() throws Exception {
        engine.accounts().putAuthHash(0, 5, "h5").join();
        CometWsClient v3 = f.open(ClientPaths.of("", "h5", 5, 0, "3.25", "v3uuid"));
        Map<String, Object> info = serverInfo(v3);
        assertThat(info).containsEntry("authorized", "true").containsEntry("event_name", "serverInfo")
                .containsEntry("api_data", "for major_version < 4").containsEntry("data", "h5");
        v3.send("subscription\ntrack_v3\nweb_v3");
        await("subscribed").atMost(T).until(() -> engine.subscriberCount(0, "track_v3") == 1);
        CometWsClient v4 = f.anonymous("v4uuid");
        serverInfo(v4);
        v4.send("subscription\ntrack_v3");
        Map<String, Object> ev = v3.await("track_v3", "subscription");
        assertThat(ev).containsEntry("event_name", "subscription")
                .containsEntry("data", "{\"user_id\":0,\"uuid\":\"v4uuid\"}");
        v3.send("pipe_count\nweb_v3\n4935884426\n");
        assertThat(v3.await("_answer_pipe_count", null)).containsEntry("data", "[\"user_in_pipe\",1]");
        engine.sendPrivate(0, 5, "pm", "text").join();
        assertThat(v3.await("msg", "pm")).containsEntry("data", "text").containsEntry("event_name", "pm");
        CometWsClient anon3 = f.open(ClientPaths.of("", "undefined", "undefined", 0, "3.25", "x"));
        assertThat(serverInfo(anon3)).containsEntry("authorized", "false");
    }

    @Test
    void urlErrorsAreOneFrameThenAbruptClose() throws Exception {
        record Case(String path, int code, String text, boolean legacy) {
        }
        List<Case> cases = List.of(
                new Case("/ws/abc", 401, ClientUrl.E401_USER, true),
                new Case("/ws/sesion=abc", 401, ClientUrl.E401_USER, true),
                new Case("/ws/sesion=&myid=1", 406, ClientUrl.E406, true),
                new Case("/ws/sesion=&myid=1&devid=0", 418, ClientUrl.E418, true),
                new Case("/ws/sesion=&myid=1&devid=0&v=4.08", 418, ClientUrl.E418, false),
                new Case("/ws/sesion=&myid=1&devid=0&v=x.1&uuid=u", 418, ClientUrl.E418, true));
        for (Case k : cases) {
            CometWsClient c = f.open(k.path());
            Map<String, Object> m = c.await("sys", "error");
            Map<String, Object> data = Map.of("error", k.text(), "error_code", (long) k.code(),
                    "info", "Closed due to error. See last message.");
            if (k.legacy()) {
                assertThat(m).as(k.path()).containsEntry("event_name", "error")
                        .containsEntry("api_data", "for major_version < 4");
                assertThat(io.comet.core.json.Json.parse((String) m.get("data"))).isEqualTo(data);
            } else {
                assertThat(m).as(k.path()).doesNotContainKey("event_name").containsEntry("data", data);
            }
            c.awaitEof(T);
            assertThat(c.count(8)).as("no Close frame").isZero();
            assertThat(c.frames()).hasSize(1);
        }
        assertThat(engine.sessions()).isEmpty();
    }

    @Test
    void clientCloseIsAnsweredByDroppingTcpWithoutCloseFrame() throws Exception {
        CometWsClient c = f.anonymous("u");
        serverInfo(c);
        c.sendFrame(8, true, new byte[] {0x03, (byte) 0xE8});
        c.awaitEof(T);
        assertThat(c.count(8)).isZero();
        await("session ended").atMost(T).until(() -> engine.sessions().isEmpty());
    }

    @Test
    void pingIsAnsweredWithPong() throws Exception {
        CometWsClient c = f.anonymous("u");
        serverInfo(c);
        c.sendFrame(9, true, "abc".getBytes(StandardCharsets.UTF_8));
        await("pong").atMost(T).until(() -> c.count(10) == 1);
        assertThat(c.frames().stream().filter(x -> x.opcode() == 10).findFirst().orElseThrow().text()).isEqualTo("abc");
    }

    @Test
    void kickIsAnAbruptClose() throws Exception {
        engine.accounts().putAuthHash(0, 5, "h5").join();
        CometWsClient c = f.v4(5, "h5", "u");
        serverInfo(c);
        engine.accounts().deleteAuthHash(0, 5).join();
        c.awaitEof(T);
        assertThat(c.count(8)).isZero();
    }
}

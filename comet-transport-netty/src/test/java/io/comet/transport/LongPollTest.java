package io.comet.transport;

import static io.comet.test.client.Waits.await;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.test.client.CometWsClient;
import io.comet.core.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue point 3: the long-poll transport of LONGPOLL.md has the WebSocket's session semantics and is bounded. */
class LongPollTest {

    private static final Duration T = Duration.ofSeconds(5);

    private ServerFixture f;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        f = new ServerFixture(c -> c.longPollTimeout(Duration.ofSeconds(2)).longPollSessionTimeout(Duration.ofMillis(600))
                .longPollMaxQueued(20).hosts(List.of("site.example")));
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    private String url(String prefix, String key, Object userId, String version, String lpid) {
        return "http://127.0.0.1:" + f.port + prefix + "/lp/sesion=" + key + "&myid=" + userId + "&devid=0&v=" + version
                + "&uuid=lpuuid" + "&api=js&lp=" + lpid;
    }

    private CompletableFuture<HttpResponse<String>> pollAsync(String url, String... commands) {
        String body = commands.length == 0 ? "" : Json.write(List.of(commands));
        return http.sendAsync(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Origin", "https://site.example").build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<Map<String, Object>> poll(String url, String... commands) throws Exception {
        HttpResponse<String> r = pollAsync(url, commands).get(10, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; charset=UTF-8");
        assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("*");
        return parse(r.body());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> parse(String body) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (!line.isBlank()) {
                out.add((Map<String, Object>) Json.parse(line));
            }
        }
        return out;
    }

    /** Polls until a message matching pipe/event arrives (the client's loop). */
    private Map<String, Object> pollUntil(String url, String pipe, String event) throws Exception {
        long deadline = System.nanoTime() + T.toNanos();
        while (System.nanoTime() < deadline) {
            for (Map<String, Object> m : poll(url)) {
                if (pipe.equals(m.get("pipe")) && (event == null || event.equals(m.get("event")))) {
                    return m;
                }
            }
        }
        throw new AssertionError("no " + pipe + "/" + event);
    }

    @Test
    void sameSessionSemanticsAsWebSocket() throws Exception {
        f.engine.accounts().putAuthHash(0, 5, "h5").join();
        f.engine.sendPrivate(0, 5, "queued", "while offline").join();
        String u = url("", "h5", 5, "4.08", "lp_0123456789abcdef");
        List<Map<String, Object>> first = poll(u);
        assertThat(first.get(0)).containsEntry("pipe", "sys").containsEntry("event", "serverInfo")
                .containsEntry("authorized", true).containsEntry("data", "h5");
        assertThat(first.get(1)).containsEntry("pipe", "msg").containsEntry("data", "while offline")
                .containsEntry("fromQueue", true);
        // subscribe, then a WebSocket peer publishes on web_chat: the held poll answers with it
        assertThat(poll(u, "subscription\nweb_chat\ntrack_lp")).isEmpty();
        CometWsClient ws = f.anonymous("ws");
        ws.await("sys", "serverInfo");
        ws.send("subscription\nweb_chat\ntrack_lp");
        assertThat(pollUntil(u, "track_lp", "subscription").get("data")).isEqualTo(Map.of("user_id", 0L, "uuid", "ws"));
        ws.send("web_pipe2\nweb_chat\nfrom_ws\n*\n\"hello lp\"");
        assertThat(pollUntil(u, "web_chat", "from_ws")).containsEntry("user_id", 0L).containsEntry("data", "\"hello lp\"");
        // web_pipe2 from long-poll: stamped copy to the WebSocket, report to the long-poll
        List<Map<String, Object>> r = poll(u, "web_pipe2\nweb_chat\nmsg\n*\n\"hi\"");
        assertThat(r).anySatisfy(m -> assertThat(m).containsEntry("pipe", "_answer_to_web_chat")
                .containsEntry("data", Map.of("message", "\"hi\"", "number_messages", 1L)));
        assertThat(ws.await("web_chat", "msg")).containsEntry("user_id", 5L);
        // private messages reach the long-poll session and a WebSocket session of the same user
        CometWsClient tab = f.v4(5, "h5", "tab");
        tab.await("sys", "serverInfo");
        await("two sessions").atMost(T).until(() -> f.engine.sessionsOf(0, 5).size() == 2);
        assertThat(f.engine.sendPrivate(0, 5, "pm", "to both").join()).isEqualTo(2);
        assertThat(pollUntil(u, "msg", "pm")).isEqualTo(Map.of("data", "to both", "event", "pm", "pipe", "msg"));
        tab.await("msg", "pm");
        // replies with markers work too
        List<Map<String, Object>> count = poll(u, "pipe_count\nweb_chat\n4935884426\n");
        assertThat(count).anySatisfy(m -> assertThat(m).containsEntry("marker", "4935884426")
                .containsEntry("data", List.of("user_in_pipe", 2L)));
    }

    @Test
    void heldPollAnswersAsSoonAsAMessageArrives() throws Exception {
        String u = url("/comet-server", "", 0, "4.08", "held_poll_0123456789");
        poll(u, "subscription\nweb_held");
        long t0 = System.nanoTime();
        CompletableFuture<HttpResponse<String>> held = pollAsync(u);
        await("poll parked").atMost(T).until(() -> f.server.context().longPoll().session("held_poll_0123456789").hasParkedPoll());
        f.engine.publish(0, "web_held", "e1", "one");
        f.engine.publish(0, "web_held", "e2", "two");
        List<Map<String, Object>> got = parse(held.get(5, TimeUnit.SECONDS).body());
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(1900));
        assertThat(got).isNotEmpty().allSatisfy(m -> assertThat(m).containsEntry("pipe", "web_held"));
        List<Map<String, Object>> all = new ArrayList<>(got);
        if (all.size() < 2) {
            all.addAll(poll(u));
        }
        assertThat(all).extracting(m -> m.get("data")).containsExactly("one", "two");
    }

    @Test
    void newerPollAnswersTheOlderOneEmptyAndIdlePollsTimeOut() throws Exception {
        String u = url("", "", 0, "4.08", "two_polls_0123456789");
        poll(u);
        CompletableFuture<HttpResponse<String>> older = pollAsync(u);
        await("older parked").atMost(T).until(() -> f.server.context().longPoll().session("two_polls_0123456789").hasParkedPoll());
        CompletableFuture<HttpResponse<String>> newer = pollAsync(u);
        HttpResponse<String> o = older.get(5, TimeUnit.SECONDS);
        assertThat(o.statusCode()).isEqualTo(200);
        assertThat(o.body()).isEmpty();
        long t0 = System.nanoTime();
        HttpResponse<String> n = newer.get(5, TimeUnit.SECONDS);
        assertThat(n.body()).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(Duration.ofMillis(500));
    }

    @Test
    void sessionEndsWithoutPollsAndALaterPollStartsAFreshOne() throws Exception {
        String u = url("", "", 0, "4.08", "expiring_0123456789_");
        assertThat(poll(u).get(0)).containsEntry("event", "serverInfo");
        await("session expired").atMost(T).until(() -> f.server.longPollSessionCount() == 0 && f.engine.sessions().isEmpty());
        assertThat(poll(u).get(0)).as("fresh serverInfo").containsEntry("event", "serverInfo");
    }

    @Test
    void bufferedMessagesAreBounded() throws Exception {
        String u = url("", "", 0, "4.08", "overflow_0123456789_");
        poll(u, "subscription\nweb_flood");
        for (int i = 0; i < 25; i++) {
            f.engine.publish(0, "web_flood", "e", "m" + i);
        }
        await("overflowing session ended").atMost(T).until(() -> f.server.longPollSessionCount() == 0);
        await("engine session closed").atMost(T).until(() -> f.engine.subscriberCount(0, "web_flood") == 0);
    }

    @Test
    void privateMessagesOverflowingTheBufferEndTheSessionCleanly() throws Exception {
        f.engine.accounts().putAuthHash(0, 8, "h8").join();
        String u = url("", "h8", 8, "4.08", "private_overflow_0123");
        assertThat(poll(u).get(0)).containsEntry("authorized", true);
        for (int i = 0; i < 25; i++) {
            f.engine.sendPrivate(0, 8, "pm", "m" + i).join(); // the 21st ends the session inside the delivery
        }
        await("session ended").atMost(T).until(() -> f.server.longPollSessionCount() == 0 && f.engine.sessionsOf(0, 8).isEmpty());
        // the user is offline now: later messages are queued and replayed to the next session
        assertThat(f.engine.sendPrivate(0, 8, "later", "queued").join()).isZero();
        List<Map<String, Object>> fresh = poll(u);
        assertThat(fresh.get(0)).containsEntry("event", "serverInfo");
        assertThat(fresh).anySatisfy(m -> assertThat(m).containsEntry("event", "later").containsEntry("fromQueue", true));
    }

    @Test
    void legacyFormatAndUnknownCommand() throws Exception {
        String u = url("/", "", 0, "3.25", "legacy_0123456789___");
        Map<String, Object> info = poll(u).get(0);
        assertThat(info).containsEntry("authorized", "false").containsEntry("event_name", "serverInfo");
        poll(u, "nonsense");
        await("session ended").atMost(T).until(() -> f.server.longPollSessionCount() == 0);
    }

    @Test
    void urlErrorsAreAnsweredWithTheSysErrorLine() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + f.port
                + "/lp/sesion=&myid=1")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Object> err = parse(r.body()).get(0);
        assertThat(err).containsEntry("pipe", "sys").containsEntry("event", "error").containsEntry("event_name", "error");
        assertThat((String) err.get("data")).contains("406");
        HttpResponse<String> origin = http.send(HttpRequest.newBuilder(URI.create(url("", "", 0, "4.08",
                "origin_0123456789___"))).header("Origin", "https://evil.example").POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(parse(origin.body()).get(0).get("data")).isEqualTo(Map.of("error", ClientUrl.E423, "error_code", 423L,
                "info", "Closed due to error. See last message."));
        HttpResponse<String> badId = pollAsync(url("", "", 0, "4.08", "short")).get(5, TimeUnit.SECONDS);
        assertThat(badId.statusCode()).isEqualTo(400);
        HttpResponse<String> badBody = http.send(HttpRequest.newBuilder(URI.create(url("", "", 0, "4.08",
                "badbody_0123456789__"))).POST(HttpRequest.BodyPublishers.ofString("{not json")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(badBody.statusCode()).isEqualTo(400);
        assertThat(f.engine.sessions()).isEmpty();
        assertThat(f.server.longPollSessionCount()).isZero();
    }
}

package io.comet.core.engine;

import io.comet.core.auth.Jwt;
import io.comet.core.*;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.comet.core.store.MemoryStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Engine rules of client-protocol.md §4 and cometql.md §3/§5, driven through in-process clients. */
class CometEngineTest {

    private static final Duration T = Duration.ofSeconds(5);
    private static final long NOW = 1_700_000_000L;

    private MutableClock clock;
    private MemoryStore store;
    private CometEngine engine;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(NOW);
        store = new MemoryStore();
        engine = CometEngine.builder().config(CometConfig.builder().password("secret").build())
                .store(store).clock(clock).maintenanceIntervalSeconds(0).build();
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private InProcessClient anon(String uuid) {
        return engine.connectInProcess(ConnectRequest.anonymous(0, uuid));
    }

    private InProcessClient user(long id, String uuid) {
        engine.accounts().putAuthHash(0, id, "hash" + id).join();
        return engine.connectInProcess(ConnectRequest.user(0, id, "hash" + id, uuid));
    }

    // ---- connect and auth (§1.6, §3.5, §4.4)

    @Test
    void serverInfoIsTheFirstMessage() {
        InProcessClient c = anon("u1");
        Message info = c.messages().get(0);
        assertThat(info.pipe()).isEqualTo("sys");
        assertThat(info.event()).isEqualTo("serverInfo");
        assertThat(info.extra()).containsEntry("authorized", false).containsKey("server");
        assertThat(info.data()).isEqualTo("");
        assertThat(info.sendTime()).isEqualTo(NOW);
    }

    @Test
    void storedHashAuthorizesAndIsEchoed() {
        InProcessClient c = user(5, "u5");
        assertThat(c.session().isAuthorized()).isTrue();
        assertThat(c.session().userId()).isEqualTo(5);
        assertThat(c.messages().get(0).extra()).containsEntry("authorized", true);
        assertThat(c.messages().get(0).data()).isEqualTo("hash5");
    }

    @Test
    void wrongHashConnectsAnonymously() {
        engine.accounts().putAuthHash(0, 5, "right").join();
        InProcessClient c = engine.connectInProcess(ConnectRequest.user(0, 5, "wrong", "u"));
        assertThat(c.session().isAuthorized()).isFalse();
        assertThat(c.session().userId()).isZero();
        assertThat(c.messages().get(0).extra()).containsEntry("authorized", false);
        assertThat(engine.stats().browserAuthFailures()).as("counted for the metrics").isEqualTo(1);
        engine.connectInProcess(ConnectRequest.anonymous(0, "anon"));
        assertThat(engine.stats().browserAuthFailures()).as("an anonymous tab is no failed login").isEqualTo(1);
    }

    /** Quirk Q28: the original lets an empty key log in against an empty stored hash; we never do. */
    @Test
    void emptyCredentialNeverAuthorizes_quirkQ28() {
        store.putAuthHash(0, 5, "").join();
        assertThat(engine.connectInProcess(ConnectRequest.user(0, 5, "", "u")).session().isAuthorized()).isFalse();
        assertThat(engine.connectInProcess(ConnectRequest.user(0, 5, null, "u")).session().isAuthorized()).isFalse();
    }

    @Test
    void hashesAreScopedByDevId_clientProtocol_4_1() {
        engine.accounts().putAuthHash(1, 5, "h").join();
        assertThat(engine.connectInProcess(ConnectRequest.user(0, 5, "h", "u")).session().isAuthorized()).isFalse();
        assertThat(engine.connectInProcess(ConnectRequest.user(1, 5, "h", "u")).session().isAuthorized()).isTrue();
    }

    @Test
    void jwtSignedWithPasswordPlusDevIdAuthorizes_clientProtocol_4_4() {
        String token = engine.accounts().signJwt(3, 9, NOW + 60);
        InProcessClient c = engine.connectInProcess(ConnectRequest.user(3, 9, token, "u"));
        assertThat(c.session().isAuthorized()).isTrue();
        assertThat(c.messages().get(0).data()).as("the token itself is echoed, no hash is issued").isEqualTo(token);
        assertThat(engine.accounts().authHash(3, 9).join()).isEmpty();
        // signed for another namespace (key = password + devId): refused
        assertThat(engine.connectInProcess(ConnectRequest.user(4, 9, token, "u")).session().isAuthorized()).isFalse();
        // for another user: refused
        assertThat(engine.connectInProcess(ConnectRequest.user(3, 10, token, "u")).session().isAuthorized()).isFalse();
    }

    @Test
    void jwtMustHaveNumericUserIdAndFutureExp_quirkQ21() {
        assertThat(auth(Jwt.sign(Map.of("user_id", "9", "exp", NOW + 60), "secret", 0))).isFalse();
        assertThat(auth(Jwt.sign(Map.of("user_id", 9L), "secret", 0))).as("exp mandatory").isFalse();
        assertThat(auth(Jwt.sign(Map.of("user_id", 9L, "exp", NOW - 1), "secret", 0))).as("expired").isFalse();
        assertThat(auth(Jwt.sign(Map.of("user_id", 9L, "exp", NOW + 1), "other", 0))).as("bad key").isFalse();
        assertThat(auth(Jwt.sign(Map.of("user_id", 9L, "exp", NOW + 1), "secret", 0))).isTrue();
    }

    @Test
    void nothingDerivedFromAJwtOutlivesItsExp_issue8() {
        String token = engine.accounts().signJwt(0, 9, NOW + 60);
        InProcessClient c = engine.connectInProcess(ConnectRequest.user(0, 9, token, "u"));
        Object echoed = c.messages().get(0).data();
        clock.advanceSeconds(61);
        assertThat(auth(token)).as("the token after its exp").isFalse();
        assertThat(auth((String) echoed)).as("what the login returned, after the exp").isFalse();
        assertThat(engine.accounts().authHash(0, 9).join()).as("no stored hash to fall back on").isEmpty();
    }

    private boolean auth(String token) {
        return engine.connectInProcess(ConnectRequest.user(0, 9, token, "u")).session().isAuthorized();
    }

    @Test
    void revokedTokenIsRefusedAndKicksItsUser_cometql_3_9() {
        String token = engine.accounts().signJwt(0, 9, NOW + 600);
        InProcessClient c = engine.connectInProcess(ConnectRequest.user(0, 9, token, "u"));
        assertThat(c.session().isAuthorized()).isTrue();
        engine.accounts().revokeToken(0, token).join();
        assertThat(c.isClosed()).as("kicked").isTrue();
        assertThat(engine.accounts().authHash(0, 9).join()).isEmpty();
        assertThat(auth(token)).isFalse();
        assertThat(engine.accounts().revokedTokens(0).join()).containsExactly(token);
    }

    @Test
    void deletingTheHashKicksEveryConnectionOfThatUser_clientProtocol_4_4() {
        InProcessClient a = user(5, "a");
        InProcessClient b = engine.connectInProcess(ConnectRequest.user(0, 5, "hash5", "b"));
        InProcessClient other = user(6, "c");
        engine.accounts().deleteAuthHash(0, 5).join();
        assertThat(a.isClosed()).isTrue();
        assertThat(b.isClosed()).isTrue();
        assertThat(other.isClosed()).isFalse();
        assertThat(engine.isOnline(0, 5)).isFalse();
    }

    // ---- pipes and events (§4.3, §4.6)

    @Test
    void publishReachesEverySubscriberOfThePipeInTheNamespace() {
        InProcessClient a = anon("a");
        InProcessClient b = anon("b");
        InProcessClient otherDev = engine.connectInProcess(ConnectRequest.anonymous(1, "x"));
        a.subscribe(List.of("web_chat"));
        b.subscribe(List.of("web_chat", "news"));
        otherDev.subscribe(List.of("web_chat"));
        int n = engine.publish(0, "web_chat", "new", "{\"text\":\"hi\"}").join();
        assertThat(n).isEqualTo(2);
        Message m = a.awaitCount("web_chat", 1, T).get(0);
        assertThat(m.envelope()).isEqualTo(Map.of("data", "{\"text\":\"hi\"}", "event", "new",
                "message_send_time", NOW, "pipe", "web_chat"));
        assertThat(b.messages("web_chat")).containsExactly(m).as("one immutable message for all subscribers");
        assertThat(otherDev.messages("web_chat")).isEmpty();
    }

    @Test
    void subscriptionReplacesTheWholeSet_clientProtocol_2_3() {
        InProcessClient a = anon("a");
        a.subscribe(List.of("pipe1", "pipe2"));
        a.subscribe(List.of("pipe2", "pipe3"));
        assertThat(a.session().subscriptions()).containsExactlyInAnyOrder("pipe2", "pipe3");
        assertThat(engine.subscriberCount(0, "pipe1")).isZero();
        engine.publish(0, "pipe1", "e", "x");
        engine.publish(0, "pipe3", "e", "y");
        assertThat(a.messages("pipe1")).isEmpty();
        assertThat(a.messages("pipe3")).hasSize(1);
    }

    @Test
    void privatePipesNeedAuthAndOnlyThatNameIsSkipped_quirkQ14() {
        InProcessClient a = anon("a");
        SubscribeResult r = a.subscribe(List.of("web_a1", "private_x", "web_a2", "web_a3"));
        assertThat(r.subscribed()).containsExactlyInAnyOrder("web_a1", "web_a2", "web_a3");
        assertThat(r.skipped()).containsExactly("private_x");
        InProcessClient u = user(5, "u");
        assertThat(u.subscribe(List.of("private_x")).subscribed()).containsExactly("private_x");
    }

    @Test
    void tooManySubscriptionsKeepsTheFirstAndReportsTruncation() {
        InProcessClient a = anon("a");
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            names.add("pipe" + i);
        }
        SubscribeResult r = a.subscribe(names);
        assertThat(r.truncated()).isTrue();
        assertThat(r.subscribed()).hasSize(32).contains("pipe0", "pipe31").doesNotContain("pipe32");
    }

    @Test
    void invalidNameRejectsTheWholeSubscriptionAndChangesNothing() {
        InProcessClient a = anon("a");
        a.subscribe(List.of("good"));
        assertThatThrownBy(() -> a.subscribe(List.of("other", "bad name")))
                .isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> a.subscribe(List.of("x".repeat(65))))
                .isInstanceOf(InvalidNameException.class).hasMessage("Invalid pipe name length");
        assertThat(a.session().subscriptions()).containsExactly("good");
        assertThat(engine.subscriberCount(0, "other")).isZero();
    }

    @Test
    void publishValidatesNamesSizeAndUtf8_cometql_5() {
        assertThatThrownBy(() -> engine.publish(0, "bad name", "e", "x")).isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> engine.publish(0, "pipe", "bad.event", "x"))
                .extracting(e -> ((CometException) e).code()).isEqualTo(12);
        assertThatThrownBy(() -> engine.publish(0, "pipe", "e", "x".repeat(9001)))
                .isInstanceOf(LimitExceededException.class)
                .extracting(e -> ((LimitExceededException) e).limit()).isEqualTo("maxMessageBytes");
        assertThatThrownBy(() -> engine.publish(0, "pipe", "e", "\u00e9".repeat(4501)))
                .as("limit counts UTF-8 bytes").isInstanceOf(LimitExceededException.class);
        assertThatThrownBy(() -> engine.publish(0, "pipe", "e", "bad \ud800 surrogate"))
                .extracting(e -> ((CometException) e).code()).isEqualTo(12);
        assertThatThrownBy(() -> engine.publish(100_000, "pipe", "e", "x")).isInstanceOf(CometException.class);
        assertThat(engine.stats().messages()).isZero();
    }

    // ---- web_* publishing from the browser (§2.4, §4.5)

    @Test
    void webPublishStampsTheSenderExcludesItAndReportsTheCount() {
        InProcessClient sender = user(5, "s");
        InProcessClient otherTabOfSender = engine.connectInProcess(ConnectRequest.user(0, 5, "hash5", "s2"));
        InProcessClient anonymous = anon("x");
        for (InProcessClient c : List.of(sender, otherTabOfSender, anonymous)) {
            c.subscribe(List.of("web_chat"));
        }
        WebPublishResult r = sender.publish("web_chat", "newmsg", "{\"text\":\"hello\"}").join();
        assertThat(r.delivered()).isEqualTo(2);
        assertThat(sender.messages("web_chat")).as("sender excluded").isEmpty();
        Message got = anonymous.awaitCount("web_chat", 1, T).get(0);
        assertThat(got.userId()).isEqualTo(5);
        assertThat(got.envelope()).containsEntry("data", "{\"text\":\"hello\"}").containsEntry("event", "newmsg");
        assertThat(otherTabOfSender.messages("web_chat")).hasSize(1);
        Message report = sender.awaitCount("_answer_to_web_chat", 1, T).get(0);
        assertThat(report.event()).isEqualTo("answer");
        assertThat(report.data()).isEqualTo(Map.of("message", "{\"text\":\"hello\"}", "number_messages", 2));
    }

    @Test
    void reportIsSentEvenWhenNobodyReceived() {
        InProcessClient sender = anon("s");
        assertThat(sender.publish("web_empty", "e", "\"x\"").join().delivered()).isZero();
        assertThat(sender.messages("_answer_to_web_empty").get(0).data())
                .isEqualTo(Map.of("message", "\"x\"", "number_messages", 0));
    }

    @Test
    void atWebPrefixSendsAnonymously_clientProtocol_4_3() {
        InProcessClient sender = user(5, "s");
        InProcessClient rcv = anon("r");
        rcv.subscribe(List.of("web_x"));
        sender.publish("@web_x", "e", "\"m\"");
        assertThat(rcv.awaitCount("web_x", 1, T).get(0).userId()).isZero();
        assertThat(sender.messages("_answer_to_web_x")).hasSize(1);
    }

    @Test
    void webPublishPrefixRules_clientProtocol_3_6() {
        InProcessClient anonymous = anon("a");
        assertThatThrownBy(() -> anonymous.publish("chat", "e", "x"))
                .hasMessage("[pipe_msg2] Invalid channel name. The channel should begin with web_");
        assertThatThrownBy(() -> anonymous.publish("webauth_x", "e", "x"))
                .hasMessage("[webauth_pipe_msg2] Invalid user auth. In to channel with name like webauth_* can not send messages anonim users");
        assertThatThrownBy(() -> anonymous.publish("@webauth_x", "e", "x"))
                .as("@webauth_ is not supported").hasMessageStartingWith("[pipe_msg2]");
        assertThatThrownBy(() -> anonymous.publish("web_x", "bad.event", "x"))
                .hasMessage("The event name can only contain characters A-Za-z0-9_-");
        InProcessClient authed = user(7, "u");
        InProcessClient rcv = anon("r");
        rcv.subscribe(List.of("webauth_x"));
        authed.publish("webauth_x", "e", "\"ok\"");
        assertThat(rcv.awaitCount("webauth_x", 1, T).get(0).userId()).isEqualTo(7);
    }

    // ---- private messages and the offline queue (§4.7)

    @Test
    void privateMessageReachesEveryLiveSessionOfTheUser() {
        InProcessClient tab1 = user(5, "t1");
        InProcessClient tab2 = engine.connectInProcess(ConnectRequest.user(0, 5, "hash5", "t2"));
        InProcessClient stranger = user(6, "t3");
        assertThat(engine.sendPrivate(0, 5, "ev1", "hello").join()).isEqualTo(2);
        for (InProcessClient c : List.of(tab1, tab2)) {
            Message m = c.awaitCount("msg", 1, T).get(0);
            assertThat(m.envelope()).isEqualTo(Map.of("data", "hello", "event", "ev1", "pipe", "msg"));
        }
        assertThat(stranger.messages("msg")).isEmpty();
        assertThat(engine.accounts().queuedMessages(0, 5).join()).isEmpty();
    }

    @Test
    void offlineQueueIsReplayedWholeInOrderMarkedFromQueue() {
        engine.accounts().putAuthHash(0, 5, "hash5").join();
        for (int i = 0; i < 12; i++) {
            assertThat(engine.sendPrivate(0, 5, "e", "m" + i).join()).isZero();
            clock.advanceSeconds(1);
        }
        assertThat(engine.accounts().queuedMessages(0, 5).join()).hasSize(12);
        InProcessClient c = engine.connectInProcess(ConnectRequest.user(0, 5, "hash5", "u"));
        List<Message> got = c.awaitCount("msg", 12, T);
        assertThat(got).extracting(Message::text).containsExactly(
                "m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10", "m11");
        assertThat(got).allMatch(Message::fromQueue);
        assertThat(got.get(0).sendTime()).isEqualTo(NOW);
        assertThat(c.messages().get(0).event()).as("serverInfo first").isEqualTo("serverInfo");
        assertThat(engine.accounts().queuedMessages(0, 5).join()).as("delivered ones are deleted").isEmpty();
    }

    @Test
    void anonymousConnectionsGetNoQueue() {
        engine.sendPrivate(0, 5, "e", "m").join();
        InProcessClient a = engine.connectInProcess(ConnectRequest.user(0, 5, "wrong", "u"));
        assertThat(a.messages("msg")).isEmpty();
        assertThat(engine.accounts().queuedMessages(0, 5).join()).hasSize(1);
    }

    @Test
    void queueIsBoundedWithATypedError() {
        CometEngine small = CometEngine.builder().config(CometConfig.builder().maxQueuedMessagesPerUser(2).build())
                .maintenanceIntervalSeconds(0).build();
        small.sendPrivate(0, 5, "e", "1").join();
        small.sendPrivate(0, 5, "e", "2").join();
        assertThatThrownBy(() -> small.sendPrivate(0, 5, "e", "3").join())
                .hasCauseInstanceOf(LimitExceededException.class)
                .satisfies(e -> assertThat(((CometException) e.getCause()).code()).isEqualTo(11));
        assertThat(small.accounts().queuedMessages(0, 5).join()).extracting(q -> q.text()).containsExactly("1", "2");
        small.close();
    }

    @Test
    void onlyMaxSessionsPerUserReceivePrivateMessages_clientProtocol_4_7() {
        engine.accounts().putAuthHash(0, 5, "h").join();
        List<InProcessClient> tabs = new java.util.ArrayList<>();
        for (int i = 0; i < 18; i++) {
            tabs.add(engine.connectInProcess(ConnectRequest.user(0, 5, "h", "t" + i)));
        }
        assertThat(engine.sendPrivate(0, 5, "e", "x").join()).isEqualTo(16);
        assertThat(tabs.get(17).messages("msg")).isEmpty();
        // when a registered tab leaves, a waiting one takes its place
        tabs.get(0).disconnect();
        assertThat(engine.sendPrivate(0, 5, "e", "y").join()).isEqualTo(16);
    }

    @Test
    void queuedTtlPurgesOldMessages() {
        engine.sendPrivate(0, 5, "e", "old").join();
        clock.advanceSeconds(121);
        engine.sendPrivate(0, 5, "e", "new").join();
        engine.purgeExpired().join();
        assertThat(engine.accounts().queuedMessages(0, 5).join()).extracting(q -> q.text()).containsExactly("new");
    }

    // ---- presence (§4.8, §4.9, cometql §3.2/3.3/3.6)

    @Test
    void userStatusOnlineOnFirstSessionOfflineOnLast() {
        InProcessClient watcher = anon("w");
        watcher.subscribe(List.of("user_status_5"));
        InProcessClient t1 = user(5, "t1");
        InProcessClient t2 = engine.connectInProcess(ConnectRequest.user(0, 5, "hash5", "t2"));
        List<Message> st = watcher.awaitCount("user_status_5", 1, T);
        assertThat(st.get(0).envelope()).isEqualTo(Map.of("data", "online", "event", "online", "pipe", "user_status_5"));
        t1.disconnect();
        assertThat(watcher.messages("user_status_5")).hasSize(1);
        t2.disconnect();
        assertThat(watcher.awaitCount("user_status_5", 2, T).get(1).event()).isEqualTo("offline");
    }

    @Test
    void usersTimeIsZeroWhileOnlineMinusOneWhenUnknownElseLastDisconnect_cometql_3_6() {
        assertThat(engine.lastSeen(0, 5).join()).isEqualTo(-1);
        InProcessClient c = user(5, "u");
        assertThat(engine.lastSeen(0, 5).join()).isZero();
        clock.advanceSeconds(10);
        c.disconnect();
        assertThat(engine.lastSeen(0, 5).join()).isEqualTo(NOW + 10);
        assertThat(engine.lastSeen(0, 0).join()).isEqualTo(-1);
    }

    @Test
    void trackEventsGoToOtherSubscribersOnRealChangesOnly_clientProtocol_4_9() {
        InProcessClient a = user(5, "ua");
        InProcessClient b = anon("ub");
        a.subscribe(List.of("track_online"));
        b.subscribe(List.of("track_online"));
        Message join = a.awaitCount("track_online", 1, T).get(0);
        assertThat(join.event()).isEqualTo("subscription");
        assertThat(join.data()).isEqualTo(Map.of("user_id", 0L, "uuid", "ub"));
        assertThat(b.messages("track_online")).as("newcomer gets no event about itself").isEmpty();
        b.subscribe(List.of("track_online", "web_other"));
        assertThat(a.messages("track_online")).as("resubscribe without change: no churn").hasSize(1);
        b.disconnect();
        Message leave = a.awaitCount("track_online", 2, T).get(1);
        assertThat(leave.event()).isEqualTo("unsubscription");
        assertThat(leave.data()).isEqualTo(Map.of("user_id", 0L, "uuid", "ub"));
    }

    @Test
    void presenceQueriesCountConnectionsAndListMembers() {
        InProcessClient a = user(5, "ua");
        InProcessClient a2 = engine.connectInProcess(ConnectRequest.user(0, 5, "hash5", "ua2"));
        InProcessClient b = anon("ub");
        for (InProcessClient c : List.of(a, a2, b)) {
            c.subscribe(List.of("track_x"));
        }
        assertThat(engine.subscriberCount(0, "track_x")).isEqualTo(3);
        assertThat(engine.members(0, "track_x")).extracting(Session::userId, Session::uuid)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(5L, "ua"),
                        org.assertj.core.groups.Tuple.tuple(5L, "ua2"), org.assertj.core.groups.Tuple.tuple(0L, "ub"));
        engine.trackPipeUsers(b.session(), "track_x", "m1");
        Message list = b.await(m -> "_answer".equals(m.pipe()), T);
        assertThat(list.marker()).isEqualTo("m1");
        assertThat(list.extra()).containsEntry("_info", "answer for track_pipe_users");
        assertThat((List<?>) list.data()).hasSize(3);
        engine.pipeCount(b.session(), "track_x", "m2");
        Message count = b.await(m -> "_answer_pipe_count".equals(m.pipe()), T);
        assertThat(count.data()).as("quirk Q7: array by default").isEqualTo(List.of("user_in_pipe", 3));
        assertThat(count.marker()).isEqualTo("m2");
        assertThatThrownBy(() -> engine.pipeCount(b.session(), "news", "m3"))
                .hasMessage("[pipe_count] Invalid channel name. The channel should start with web_");
        assertThatThrownBy(() -> engine.trackPipeUsers(b.session(), "web_x", "m4"))
                .hasMessage("[track_pipe_users] Invalid channel name. The channel should start with track_");
        a.disconnect();
        a2.disconnect();
        b.disconnect();
        assertThat(engine.subscriberCount(0, "track_x")).isZero();
    }

    // ---- history (§4.10, cometql §3.1/§3.4)

    @Test
    void historyIsKeptPerSettingTrimmedOnPublishAndReplayedOldestFirst() {
        assertThat(engine.history().setLength(0, "web_chat", 3).join()).isEqualTo(3);
        for (int i = 1; i <= 5; i++) {
            engine.publish(0, "web_chat", "e", "m" + i);
        }
        assertThat(engine.history().oldest(0, "web_chat").join()).extracting(h -> h.text()).containsExactly("m3", "m4", "m5");
        InProcessClient c = anon("c");
        assertThat(engine.pipeLog(c.session(), "web_chat").join()).isEqualTo(3);
        List<Message> replay = c.messages("web_chat");
        assertThat(replay).extracting(Message::text).containsExactly("m3", "m4", "m5");
        assertThat(replay).allMatch(Message::fromQueue).allMatch(m -> m.marker() == null && m.userId() == 0);
    }

    @Test
    void browserPublishesAreLoggedWithSenderAndEmptyEventIsStoredAsUndefined_clientProtocol_4_6() {
        engine.history().setLength(0, "web_log", 10).join();
        InProcessClient u = user(5, "u");
        u.publish("web_log", "", "\"hi\"");
        engine.publish(0, "web_log", "", "backend");
        assertThat(engine.history().oldest(0, "web_log").join()).extracting(h -> h.userId(), h -> h.event())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(5L, "undefined"),
                        org.assertj.core.groups.Tuple.tuple(0L, "undefined"));
    }

    @Test
    void trustPipesAreAlwaysLoggedAndSettingsClampAndDeleteHistory() {
        engine.publish(0, "trust_x", "e", "a");
        assertThat(engine.history().oldest(0, "trust_x").join()).hasSize(1);
        assertThat(engine.history().setLength(0, "pipe_y", 5000).join()).isEqualTo(1000);
        assertThat(engine.history().setLength(0, "pipe_y", -5).join()).isZero();
        engine.history().setLength(0, "pipe_y", 2).join();
        engine.publish(0, "pipe_y", "e", "x");
        engine.history().deleteSetting(0, "pipe_y").join();
        assertThat(engine.history().oldest(0, "pipe_y").join()).isEmpty();
        engine.publish(0, "pipe_y", "e", "not logged");
        assertThat(engine.history().oldest(0, "pipe_y").join()).isEmpty();
        assertThat(engine.history().length(0, "pipe_y").join()).isEmpty();
    }

    // pipes_settings reads are answered from memory; a 0-length setting exists, and a restarted engine loads them all
    @Test
    void historyLengthSettingsIncludingZeroSurviveARestart() {
        engine.history().setLength(0, "pipe_a", 7).join();
        engine.history().setLength(0, "pipe_z", 0).join();
        assertThat(engine.history().length(0, "pipe_a").join()).contains(7);
        assertThat(engine.history().length(0, "pipe_z").join()).contains(0);
        assertThat(engine.history().length(1, "pipe_a").join()).isEmpty();
        try (CometEngine restarted = CometEngine.builder().store(store).clock(clock).maintenanceIntervalSeconds(0).build()) {
            assertThat(restarted.history().length(0, "pipe_a").join()).contains(7);
            assertThat(restarted.history().length(0, "pipe_z").join()).contains(0);
            restarted.publish(0, "pipe_z", "e", "not logged");
            assertThat(restarted.history().oldest(0, "pipe_z").join()).isEmpty();
            restarted.publish(0, "pipe_a", "e", "logged");
            assertThat(restarted.history().oldest(0, "pipe_a").join()).hasSize(1);
        }
        engine.history().deleteSetting(0, "pipe_z").join();
        assertThat(engine.history().length(0, "pipe_z").join()).isEmpty();
    }

    @Test
    void historyReplayIsCappedAt99() {
        engine.history().setLength(0, "big", 200).join();
        for (int i = 0; i < 105; i++) {
            engine.publish(0, "big", "e", "m" + i);
        }
        assertThat(engine.history().oldest(0, "big").join()).hasSize(99).first().extracting(h -> h.text()).isEqualTo("m0");
    }

    // ---- users_data, user_status, stats

    @Test
    void userDataRequestAnswersWithTheStoredText() {
        engine.accounts().putUserData(0, 7, "{\"name\":\"Bob\"}").join();
        InProcessClient c = anon("c");
        engine.userDataRequest(c.session(), "m1", 7).join();
        engine.userDataRequest(c.session(), "m2", 8).join();
        List<Message> answers = c.messages("_answer");
        assertThat(answers.get(0).data()).isEqualTo(Map.of("user_data", "{\"name\":\"Bob\"}", "user_id", 7L));
        assertThat(answers.get(1).data()).isEqualTo(Map.of("user_data", "", "user_id", 8L));
        assertThat(answers.get(1).marker()).isEqualTo("m2");
        assertThatThrownBy(() -> engine.userDataRequest(c.session(), "m3", 0)).hasMessage("Invalid user id");
    }

    @Test
    void statsCountConnectionsAndMessages() {
        InProcessClient a = anon("a");
        InProcessClient b = engine.connectInProcess(ConnectRequest.anonymous(2, "b"));
        a.subscribe(List.of("pipe1"));
        engine.publish(0, "pipe1", "e", "x");
        engine.sendPrivate(0, 1, "e", "y").join();
        Stats s = engine.stats();
        assertThat(s.online()).isEqualTo(2);
        assertThat(s.online(2)).isEqualTo(1);
        assertThat(s.messages()).isEqualTo(2);
        assertThat(s.deliveries()).isEqualTo(1);
        b.disconnect();
        assertThat(s.online()).isEqualTo(1);
        assertThat(s.disconnects()).isEqualTo(1);
    }

    @Test
    void closedSessionReceivesNothingAndLeavesEveryPipe() {
        InProcessClient a = anon("a");
        a.subscribe(List.of("pipe1", "pipe2"));
        a.disconnect();
        a.disconnect();
        assertThat(engine.subscriberCount(0, "pipe1")).isZero();
        assertThat(engine.publish(0, "pipe1", "e", "x").join()).isZero();
        assertThat(a.subscribe(List.of("pipe3")).subscribed()).isEmpty();
        assertThat(engine.subscriberCount(0, "pipe3")).isZero();
        assertThat(engine.sessions()).isEmpty();
        assertThat(Set.copyOf(a.messages())).hasSize(1);
    }
}

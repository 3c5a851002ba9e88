package io.comet.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.comet.test.client.CometWsClient;
import io.comet.core.engine.CometEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every feature across nodes (issue 14 point 2): three Comet nodes on one redis-server, the
 * sender on one node and the receivers on the others, real WebSocket clients on real sockets.
 */
class ClusterFeaturesTest {

    private static final Duration T = Duration.ofSeconds(10);
    private static Cluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = Cluster.start(3);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static CometEngine engine(int i) {
        return cluster.node(i).engine();
    }

    /** Waits until {@code nodes} nodes listen to the pipe's channel in Redis. */
    static void awaitListening(Cluster c, String pipe, int nodes) {
        await().atMost(T).until(() -> c.redis.with(r -> r.pubsubNumsub("comet.p.{0:" + pipe + "}"))
                .getOrDefault("comet.p.{0:" + pipe + "}", 0L) == nodes);
    }

    @Test
    void aPublishOnOneNodeReachesTheSubscribersOfEveryOtherNodeWithItsEvent() throws Exception {
        try (CometWsClient b = cluster.browser(1, 0, "fanb"); CometWsClient c = cluster.browser(2, 0, "fanc")) {
            b.subscribe("web_fan");
            c.subscribe("web_fan");
            awaitListening(cluster, "web_fan", 2);
            assertThat(engine(0).publish(0, "web_fan", "ev", "hello").join()).as("copies, counted on every node").isEqualTo(2);
            for (CometWsClient w : List.of(b, c)) {
                Map<String, Object> m = w.await("web_fan", "ev");
                assertThat(m.get("data")).isEqualTo("hello");
            }
        }
        awaitListening(cluster, "web_fan", 0); // a node listens to a pipe only while it has a subscriber
    }

    @Test
    void aBrowserPublishIsStampedWithTheSenderAndItsReportCountsTheSubscribersOfEveryNode() throws Exception {
        cluster.user(11);
        try (CometWsClient sender = cluster.browser(0, 11, "send11"); CometWsClient b1 = cluster.browser(1, 0, "wb1");
             CometWsClient b2 = cluster.browser(1, 0, "wb2"); CometWsClient c = cluster.browser(2, 0, "wc1")) {
            sender.await("sys", "serverInfo");
            for (CometWsClient w : List.of(sender, b1, b2, c)) {
                w.subscribe("web_chat");
            }
            awaitListening(cluster, "web_chat", 3);
            sender.send("web_pipe2\nweb_chat\nsay\n*\n{\"text\":\"hi\"}");
            Map<String, Object> report = sender.await("_answer_to_web_chat", "answer");
            @SuppressWarnings("unchecked")
            Map<String, Object> data = (Map<String, Object>) report.get("data");
            assertThat(data.get("number_messages")).as("three subscribers besides the sender, on two other nodes")
                    .isEqualTo(3L);
            for (CometWsClient w : List.of(b1, b2, c)) {
                assertThat(w.await("web_chat", "say").get("user_id")).isEqualTo(11L);
            }
            assertThat(Cluster.on(sender, "web_chat")).as("the sender does not get its own message").isEmpty();
        }
    }

    @Test
    void trackEventsAndMemberListsAndCountsSpanTheNodes() throws Exception {
        cluster.user(21);
        cluster.user(22);
        try (CometWsClient watcher = cluster.browser(2, 21, "trk21"); CometWsClient asker = cluster.browser(0, 0, "trkq")) {
            watcher.await("sys", "serverInfo");
            watcher.subscribe("track_room");
            asker.subscribe("track_room");
            awaitListening(cluster, "track_room", 2);
            CometWsClient joiner = cluster.browser(1, 22, "trk22");
            joiner.await("sys", "serverInfo");
            joiner.subscribe("track_room");
            watcher.await(m -> "track_room".equals(m.get("pipe")) && "subscription".equals(m.get("event"))
                    && m.get("data").toString().contains("user_id=22"), T);
            awaitListening(cluster, "track_room", 3);

            asker.send("track_pipe_users\ntrack_room\n5300317326");
            Map<String, Object> list = asker.await(m -> "5300317326".equals(m.get("marker")), T);
            assertThat(list.get("data").toString()).contains("user_id=21").contains("user_id=22");
            asker.send("pipe_count\ntrack_room\n4935884426\n");
            Map<String, Object> count = asker.await(m -> "4935884426".equals(m.get("marker")), T);
            assertThat(count.get("data")).isEqualTo(List.of("user_in_pipe", 3L));

            joiner.close();
            watcher.await(m -> "track_room".equals(m.get("pipe")) && "unsubscription".equals(m.get("event"))
                    && m.get("data").toString().contains("user_id=22"), T);
        }
    }

    @Test
    void cometQlPipesAndUsersInPipesCountEveryNode() throws Exception {
        cluster.user(23);
        try (CometWsClient a = cluster.browser(0, 23, "ql23"); CometWsClient b = cluster.browser(1, 0, "qlb");
             CometWsClient c = cluster.browser(2, 0, "qlc")) {
            a.await("sys", "serverInfo");
            for (CometWsClient w : List.of(a, b, c)) {
                w.subscribe("track_ql");
            }
            awaitListening(cluster, "track_ql", 3);
            String url = cluster.node(1).jdbcUrl();
            try (java.sql.Connection ql = java.sql.DriverManager.getConnection(url, "root", Cluster.PASSWORD);
                 java.sql.Statement st = ql.createStatement()) {
                await().atMost(T).untilAsserted(() -> {
                    try (java.sql.ResultSet rs = st.executeQuery("SELECT * FROM pipes WHERE name IN ('track_ql')")) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getInt("users")).as("subscribers on the three nodes").isEqualTo(3);
                    }
                });
                List<Long> ids = new ArrayList<>();
                try (java.sql.ResultSet rs = st.executeQuery("SELECT name, user_id FROM users_in_pipes WHERE name = 'track_ql'")) {
                    while (rs.next()) {
                        ids.add(rs.getLong("user_id"));
                    }
                }
                assertThat(ids).containsExactlyInAnyOrder(23L, 0L, 0L);
            }
        }
    }

    @Test
    void userStatusIsAnnouncedOnceHoweverManyNodesHoldTheUsersSessionsAndUsersTimeIsClusterWide() throws Exception {
        cluster.user(31);
        try (CometWsClient watcher = cluster.browser(2, 0, "stw")) {
            watcher.subscribe("user_status_31");
            awaitListening(cluster, "user_status_31", 1);
            CometWsClient onA = cluster.browser(0, 31, "st31a");
            watcher.await("user_status_31", "online");
            CometWsClient onB = cluster.browser(1, 31, "st31b");
            onB.await("sys", "serverInfo");
            assertThat(engine(2).lastSeen(0, 31).join()).as("online on some node").isZero();
            onA.close();
            await().atMost(T).until(() -> engine(0).sessionsOf(0, 31).isEmpty());
            assertThat(engine(2).lastSeen(0, 31).join()).as("still online on b").isZero();
            onB.close();
            watcher.await("user_status_31", "offline");
            assertThat(Cluster.on(watcher, "user_status_31")).extracting(m -> m.get("event")).containsExactly("online", "offline");
            await().atMost(T).until(() -> engine(2).lastSeen(0, 31).join() > 0);
        }
    }

    @Test
    void aPrivateMessageReachesEveryDeviceOfTheUserOnAnyNodeAndTheQueueWaitsForTheNextOne() throws Exception {
        cluster.user(41);
        try (CometWsClient onA = cluster.browser(0, 41, "pm41a"); CometWsClient onC = cluster.browser(2, 41, "pm41c")) {
            onA.await("sys", "serverInfo");
            onC.await("sys", "serverInfo");
            assertThat(engine(1).sendPrivate(0, 41, "note", "hello").join()).as("two devices, two nodes").isEqualTo(2);
            for (CometWsClient w : List.of(onA, onC)) {
                assertThat(w.await("msg", "note").get("data")).isEqualTo("hello");
            }
        }
        cluster.user(42);
        assertThat(engine(0).sendPrivate(0, 42, "note", "while away").join()).as("queued").isZero();
        try (CometWsClient later = cluster.browser(2, 42, "pm42c")) {
            Map<String, Object> m = later.await("msg", "note");
            assertThat(m.get("data")).isEqualTo("while away");
            assertThat(m.get("fromQueue")).isEqualTo(true);
        }
    }

    @Test
    void deletingAUsersAuthKicksHisSessionsOnEveryNode() throws Exception {
        cluster.user(43);
        try (CometWsClient onA = cluster.browser(0, 43, "k43a"); CometWsClient onB = cluster.browser(1, 43, "k43b")) {
            onA.await("sys", "serverInfo");
            onB.await("sys", "serverInfo");
            engine(2).accounts().deleteAuthHash(0, 43).join();
            onA.awaitEof(T);
            onB.awaitEof(T);
        }
    }

    @Test
    void aClientDroppedFromOneNodeResumesOnAnotherWithoutGapOrDuplicate() throws Exception {
        String pipe = "trust_resume";
        String epoch;
        try (CometWsClient onA = cluster.browser(0, 0, "rs1")) {
            onA.send("subscription\n" + pipe + "\n-\n{}");
            onA.await(Subscriptions.RECOVERY, "position");
            for (int i = 1; i <= 5; i++) {
                engine(1).publish(0, pipe, "m", "m" + i).join();
            }
            List<Map<String, Object>> got = onA.awaitCount(m -> pipe.equals(m.get("pipe")), 5, T);
            epoch = (String) got.get(4).get("epoch");
            assertThat(got.get(4).get("offset")).isEqualTo(5L);
            onA.reset();
        }
        for (int i = 6; i <= 15; i++) {
            engine(1).publish(0, pipe, "m", "m" + i).join();
        }
        try (CometWsClient onC = cluster.browser(2, 0, "rs1")) {
            onC.send("subscription\n" + pipe + "\n-\n{\"" + pipe + "\":{\"epoch\":\"" + epoch + "\",\"offset\":5}}");
            Map<String, Object> report = onC.await(Subscriptions.RECOVERY, "position");
            assertThat(report.get("data").toString()).contains("recovered=true").contains("offset=15");
            engine(0).publish(0, pipe, "m", "m16").join();
            List<Map<String, Object>> got = onC.awaitCount(m -> pipe.equals(m.get("pipe")), 11, T);
            List<Object> offsets = new ArrayList<>();
            for (Map<String, Object> m : got) {
                offsets.add(m.get("offset"));
            }
            assertThat(offsets).containsExactly(6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L, 16L);
            assertThat(got.get(0).get("data")).isEqualTo("m6");
        }
    }

    /** Names of the engine's pseudo-pipes the tests read. */
    static final class Subscriptions {
        static final String RECOVERY = "_recovery";
    }
}

package io.comet.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.comet.broker.redis.RedisServer;
import io.comet.test.client.ClientPaths;
import io.comet.test.client.CometWsClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 point 4e with real processes: two runnable jars on one redis-server; the node holding
 * a user's only tab is killed with {@code kill -9} (no goodbye to Redis). The other node's
 * watcher gets that user's {@code user_status} offline and the {@code track_*} leave exactly
 * once, within 15 s, and the dead node's entries leave Redis.
 */
class ClusterKillIT {

    private static final Duration T = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private Path ini(RedisServer redis, String node) throws Exception {
        Path d = Files.createDirectories(dir.resolve(node));
        Path ini = d.resolve("comet.ini");
        Files.writeString(ini, "[main]\npassword = cluster-secret\nnode_name = " + node + "\n[ws]\nip = 127.0.0.1\nport = 0\n"
                + "[cometql]\nip = 127.0.0.1\nport = 0\n[redis]\nuri = " + redis.uri() + "\nnode_timeout = 5\n");
        return ini;
    }

    private static java.util.List<java.util.Map<String, Object>> on(CometWsClient c, String pipe) {
        return c.messages().stream().filter(m -> pipe.equals(m.get("pipe"))).toList();
    }

    @Test
    void aNodeKilledWithSigkillHasItsUserOfflineAndItsMemberLeaveExactlyOnceWithinFifteenSeconds() throws Exception {
        try (RedisServer redis = RedisServer.start();
             CometProcess a = CometProcess.start(dir.resolve("node-a"), ini(redis, "node-a"), "node-a");
             CometProcess b = CometProcess.start(dir.resolve("node-b"), ini(redis, "node-b"), "node-b")) {
            try (Connection c = a.jdbc("cluster-secret"); Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO users_auth (id, hash) VALUES (51, 'h51')");
            }
            try (CometWsClient watcher = CometWsClient.open(b.webPort, ClientPaths.v4(0, "", "killwatch0000000000000000000000a"))) {
                watcher.awaitLine("serverInfo");
                watcher.subscribe("user_status_51", "track_dead");
                CometWsClient victim = CometWsClient.open(a.webPort, ClientPaths.v4(51, "h51", "killvictim000000000000000000000a"));
                victim.awaitLine("serverInfo");
                victim.subscribe("track_dead");
                watcher.await("user_status_51", "online");
                watcher.await(m -> "track_dead".equals(m.get("pipe")) && "subscription".equals(m.get("event")), T);

                a.kill9();
                long t0 = System.nanoTime();
                watcher.await(m -> "user_status_51".equals(m.get("pipe")) && "offline".equals(m.get("event")), T);
                watcher.await(m -> "track_dead".equals(m.get("pipe")) && "unsubscription".equals(m.get("event")), T);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
                await().atMost(T).until(() -> redis.with(r -> r.zcard("comet.nodes")) == 1);
                // announced once: a marker after them shows nothing else came
                try (Connection c = b.jdbc("cluster-secret"); Statement st = c.createStatement()) {
                    st.executeUpdate("INSERT INTO pipes_messages (name, event, message) VALUES ('user_status_51', 'marker', 'm')");
                }
                watcher.await("user_status_51", "marker");
                assertThat(on(watcher, "user_status_51")).extracting(m -> m.get("event"))
                        .containsExactly("online", "offline", "marker");
                assertThat(on(watcher, "track_dead")).filteredOn(m -> "unsubscription".equals(m.get("event"))).hasSize(1);
                victim.close();
            }
        }
    }
}

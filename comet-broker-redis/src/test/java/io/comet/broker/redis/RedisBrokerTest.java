package io.comet.broker.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.comet.core.Message;
import io.comet.core.broker.Member;
import io.comet.core.broker.Publication;
import io.comet.core.broker.RecordingNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What RedisBroker promises beyond the broker contract: idempotent publishes, channels only while listened to. */
class RedisBrokerTest {

    private static RedisServer redis;
    private static int run;
    private RedisBroker a;
    private RedisBroker b;
    private RecordingNode na;
    private RecordingNode nb;
    private String prefix;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @BeforeEach
    void nodes() {
        prefix = "t" + (++run);
        a = new RedisBroker(RedisBrokerConfig.builder(redis.uri()).prefix(prefix).nodeName("a").build());
        b = new RedisBroker(RedisBrokerConfig.builder(redis.uri()).prefix(prefix).nodeName("b").build());
        na = new RecordingNode();
        nb = new RecordingNode();
        a.start(na);
        b.start(nb);
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    private long listeners(String pipe) {
        String ch = prefix + ".p.{0:" + pipe + "}";
        Map<String, Long> n = redis.with(r -> r.pubsubNumsub(ch));
        return n.getOrDefault(ch, 0L);
    }

    @Test
    void aPublicationRetriedWithItsIdIsAppliedOnce() {
        b.joined(0, "web_idem", 7, new Member(0, "u", "", "", "", "")).join();
        Message m = Message.pipe("web_idem", "e", "once", 1);
        Publication first = a.publish(0, "web_idem", m, 0, 0, "id-1").join();
        Publication again = a.publish(0, "web_idem", m, 0, 0, "id-1").join();
        Publication other = a.publish(0, "web_idem", Message.pipe("web_idem", "e", "next", 1), 0, 0, "id-2").join();
        assertThat(again.offset()).isEqualTo(first.offset()).isEqualTo(1);
        assertThat(again.epoch()).isEqualTo(first.epoch());
        assertThat(other.offset()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> nb.received("web_idem").size() == 2);
        assertThat(nb.received("web_idem")).extracting(Message::text).containsExactly("once", "next");
        assertThat(a.history(0, "web_idem", 10).join().entries()).hasSize(2);
    }

    @Test
    void aPubSubConnectionThatWentSilentIsDetectedAndReplacedAndThePipeCaughtUp() throws Exception {
        b.joined(0, "trust_silent", 3, new Member(0, "u", "", "", "", "")).join();
        a.publish(0, "trust_silent", Message.pipe("trust_silent", "e", "m1", 1), 0, 0).join();
        await().atMost(Duration.ofSeconds(10)).until(() -> nb.received("trust_silent").size() == 1);
        // b's pub/sub connection stays open but listens to nothing any more: TCP is healthy, no message comes
        b.link().pubsub().sync().unsubscribe();
        assertThat(listeners("trust_silent")).isZero();
        for (int i = 2; i <= 20; i++) {
            a.publish(0, "trust_silent", Message.pipe("trust_silent", "e", "m" + i, 1), 0, 0).join();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> nb.received("trust_silent").size() == 20);
        assertThat(nb.received("trust_silent")).extracting(Message::offset)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList());
        assertThat(listeners("trust_silent")).isEqualTo(1);
    }

    @Test
    void aNodeListensToAPipeOnlyWhileItHasASessionInIt() {
        assertThat(listeners("web_l")).isZero();
        b.joined(0, "web_l", 1, new Member(0, "u1", "", "", "", "")).join();
        b.joined(0, "web_l", 2, new Member(0, "u2", "", "", "", "")).join();
        assertThat(listeners("web_l")).isEqualTo(1);
        b.left(0, "web_l", 1);
        assertThat(a.publish(0, "web_l", Message.pipe("web_l", "e", "x", 1), -1, 0).join().delivered())
                .as("one subscriber left").isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> nb.received("web_l").size() == 1);
        assertThat(na.received("web_l")).as("a has no session in the pipe: it is not even told").isEmpty();
        b.left(0, "web_l", 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> listeners("web_l") == 0);
    }
}

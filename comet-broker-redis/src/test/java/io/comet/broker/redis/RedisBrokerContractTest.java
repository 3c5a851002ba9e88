package io.comet.broker.redis;

import io.comet.core.broker.Broker;
import io.comet.core.broker.BrokerContractTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The broker contract on {@link RedisBroker}: two nodes on one private redis-server (a fresh prefix per test). */
class RedisBrokerContractTest extends BrokerContractTest {

    private static RedisServer redis;
    private static int run;
    private String prefix;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    protected Broker newNode() {
        if (prefix == null) {
            prefix = "ct" + (++run);
        }
        return new RedisBroker(RedisBrokerConfig.builder(redis.uri()).prefix(prefix).build());
    }
}

package io.comet.server.cluster;

import io.comet.test.client.ClientPaths;
import io.comet.test.client.CometWsClient;
import io.comet.broker.redis.RedisBrokerConfig;
import io.comet.broker.redis.RedisServer;
import io.comet.core.CometConfig;
import io.comet.core.store.MemoryStore;
import io.comet.core.store.Store;
import io.comet.core.store.jdbc.TcpProxy;
import io.comet.server.CometServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * N in-process Comet nodes ({@link CometServer} on ephemeral ports, real sockets) sharing one
 * private redis-server and one store (the store every node of a deployment shares: users_auth,
 * the offline queue). Each node reaches Redis through its own {@link TcpProxy}, so a test can cut
 * one node off Redis ({@link #isolate}) or let it die without a goodbye ({@link #crash}).
 */
final class Cluster implements AutoCloseable {

    static final String PASSWORD = "pw";

    final RedisServer redis;
    final Store store = new MemoryStore();
    private final List<CometServer> nodes = new ArrayList<>();
    private final List<TcpProxy> proxies = new ArrayList<>();
    private final List<Boolean> crashed = new ArrayList<>();
    private boolean proxied = true;

    private Cluster(RedisServer redis) {
        this.redis = redis;
    }

    /** {@code n} nodes named a, b, c … with the default Redis settings changed by {@code settings}. */
    static Cluster start(int n, UnaryOperator<RedisBrokerConfig.Builder> settings) throws IOException {
        return start(n, settings, true);
    }

    /** {@code n} nodes connected to Redis directly ({@code proxied} false: no {@link #isolate}/{@link #crash}). */
    static Cluster start(int n, UnaryOperator<RedisBrokerConfig.Builder> settings, boolean proxied) throws IOException {
        Cluster c = new Cluster(RedisServer.start());
        c.proxied = proxied;
        try {
            for (int i = 0; i < n; i++) {
                c.add(settings);
            }
        } catch (RuntimeException | IOException e) {
            c.close();
            throw e;
        }
        return c;
    }

    static Cluster start(int n) throws IOException {
        return start(n, b -> b);
    }

    /** Adds a node. */
    CometServer add(UnaryOperator<RedisBrokerConfig.Builder> settings) throws IOException {
        TcpProxy proxy = new TcpProxy("127.0.0.1", redis.port());
        String name = String.valueOf((char) ('a' + nodes.size()));
        RedisBrokerConfig cfg = settings.apply(RedisBrokerConfig.builder(proxied ? "redis://127.0.0.1:" + proxy.port() : redis.uri())
                .nodeName(name)).build();
        CometServer s = CometServer.builder().ip("127.0.0.1").webPort(0).cometqlPort(0).webThreads(1)
                .engine(CometConfig.builder().maxQueuedMessagesPerUser(1000).build())
                .password(PASSWORD).store(store).redis(cfg).start();
        nodes.add(s);
        proxies.add(proxy);
        crashed.add(false);
        return s;
    }

    CometServer node(int i) {
        return nodes.get(i);
    }

    int port(int i) {
        return nodes.get(i).webPort();
    }

    TcpProxy proxy(int i) {
        return proxies.get(i);
    }

    /** Cuts node {@code i} off Redis (its connections dropped, new ones refused); its browsers stay. */
    void isolate(int i) throws IOException {
        proxies.get(i).refuse();
    }

    /** Node {@code i} dies: off Redis and every browser connection dropped, nothing said to anybody. */
    void crash(int i) throws IOException {
        proxies.get(i).refuse();
        crashed.set(i, true);
        nodes.get(i).web().close();
    }

    /** Registers user {@code id} with hash {@code "h<id>"} (shared store: valid on every node). */
    void user(long id) {
        nodes.get(0).engine().accounts().putAuthHash(0, id, "h" + id).join();
    }

    /** A browser of user {@code id} (0 = anonymous) on node {@code i} with device {@code device}. */
    CometWsClient browser(int i, long id, String device) throws IOException {
        return CometWsClient.open(port(i), ClientPaths.v4(id, id == 0 ? "" : "h" + id, uuid(device)),
                "Origin: http://127.0.0.1\r\n", true, 0);
    }

    /** The messages of one pipe {@code c} received so far, in order. */
    static java.util.List<java.util.Map<String, Object>> on(CometWsClient c, String pipe) {
        return c.messages().stream().filter(m -> pipe.equals(m.get("pipe"))).toList();
    }

    /** A 32-character uuid made from {@code name}. */
    static String uuid(String name) {
        return (name + "00000000000000000000000000000000").substring(0, 32);
    }

    @Override
    public void close() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            try {
                nodes.get(i).close();
            } catch (RuntimeException e) {
                // a crashed node's broker cannot say goodbye
            }
            try {
                proxies.get(i).close();
            } catch (IOException e) {
                // closing
            }
        }
        try {
            redis.close();
        } catch (Exception e) {
            // closing
        }
    }
}

package io.comet.broker.redis;

import io.comet.core.CometException;
import io.comet.core.ErrorCode;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The node's two Redis connections (Lettuce): one multiplexed command connection and one
 * pub/sub connection, both reconnecting by themselves. Commands have a fixed timeout and are
 * rejected at once while disconnected (no unbounded queue); the Lua scripts of this package are
 * run by digest and loaded again after a Redis restart. Results complete on {@code callbacks},
 * never on Lettuce's event loop.
 */
final class RedisLink implements AutoCloseable {

    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> commands;
    private volatile StatefulRedisPubSubConnection<String, String> pubsub;
    private final RedisPubSubListener<String, String> listener;
    private final Executor callbacks;
    private final Map<String, Script> scripts = new ConcurrentHashMap<>();

    /** A Lua script of this package and its SHA-1. */
    record Script(String name, String text, String sha) {
    }

    RedisLink(RedisBrokerConfig config, RedisPubSubListener<String, String> listener, Executor callbacks) {
        this.callbacks = callbacks;
        this.listener = listener;
        // reconnect attempts 50 ms, 100 ms … at most 1 s apart: back within a second of Redis (never 30 s)
        resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(1)
                .reconnectDelay(() -> Delay.equalJitter(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        RedisURI uri = RedisURI.create(config.uri());
        uri.setTimeout(config.commandTimeout());
        client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.builder().fixedTimeout(config.commandTimeout()).build())
                .socketOptions(SocketOptions.builder().connectTimeout(config.connectTimeout())
                        .keepAlive(SocketOptions.KeepAliveOptions.builder().enable().idle(Duration.ofSeconds(5))
                                .interval(Duration.ofSeconds(2)).count(3).build())
                        .build())
                .build());
        try {
            commands = client.connect();
            pubsub = client.connectPubSub();
        } catch (RuntimeException e) {
            client.shutdown(0, 1, TimeUnit.SECONDS);
            resources.shutdown(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("Redis is not reachable at " + safe(config.uri()) + ": " + e.getMessage(), e);
        }
        pubsub.addListener(listener);
    }

    /** The URI without its password, for logs. */
    static String safe(String uri) {
        return uri.replaceAll("//[^@/]*@", "//***@");
    }

    /**
     * Replaces the pub/sub connection by a new one (the old one had gone silent); the caller
     * subscribes the channels again. Blocks up to the connect timeout (not on an event loop).
     */
    synchronized void replacePubSub() {
        StatefulRedisPubSubConnection<String, String> fresh = client.connectPubSub();
        fresh.addListener(listener);
        StatefulRedisPubSubConnection<String, String> old = pubsub;
        pubsub = fresh;
        old.closeAsync();
    }

    RedisAsyncCommands<String, String> async() {
        return commands.async();
    }

    StatefulRedisPubSubConnection<String, String> pubsub() {
        return pubsub;
    }

    /** Completes {@code f} on the callback executor; a Redis failure becomes a {@link CometException}. */
    <T> CompletableFuture<T> call(java.util.concurrent.CompletionStage<T> f) {
        CompletableFuture<T> out = new CompletableFuture<>();
        f.whenComplete((v, e) -> callbacks.execute(() -> {
            if (e == null) {
                out.complete(v);
            } else {
                out.completeExceptionally(unavailable(e));
            }
        }));
        return out;
    }

    static CometException unavailable(Throwable e) {
        Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (c instanceof CometException ce) {
            return ce;
        }
        return new CometException(ErrorCode.INTERNAL_SERVER, "Redis unavailable: " + c.getMessage(), c);
    }

    /** Runs script {@code name} ({@code <name>.lua} next to this class). */
    <T> CompletableFuture<T> eval(String name, ScriptOutputType type, String[] keys, String... args) {
        Script s = scripts.computeIfAbsent(name, RedisLink::load);
        CompletableFuture<T> first = commands.async().<T>evalsha(s.sha(), type, keys, args).toCompletableFuture();
        CompletableFuture<T> retried = first.handle((v, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(v);
            }
            Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (c.getMessage() != null && c.getMessage().startsWith("NOSCRIPT")) {
                return commands.async().<T>eval(s.text(), type, keys, args).toCompletableFuture();
            }
            return CompletableFuture.<T>failedFuture(c);
        }).thenCompose(x -> x);
        return call(retried);
    }

    private static Script load(String name) {
        try (InputStream in = RedisLink.class.getResourceAsStream(name + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("script not found: " + name);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            byte[] sha = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return new Script(name, text, HexFormat.of().formatHex(sha));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("script " + name + ": " + e, e);
        }
    }

    @Override
    public void close() {
        pubsub.close();
        commands.close();
        client.shutdown(0, 2, TimeUnit.SECONDS);
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}

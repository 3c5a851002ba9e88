package io.comet.transport;

import io.comet.core.engine.CometEngine;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every channel of one {@link CometWebServer} shares: engine, config, command
 * dispatcher, the live WebSocket channels (for {@code maxUptime}), long-poll sessions, extra
 * endpoints, static files and the bundled client script. Passed to handlers through their
 * constructors (no static state).
 */
final class ServerContext {

    private final CometEngine engine;
    private final WebConfig config;
    private final Commands commands;
    /** Open WebSocket connections (one counter instead of a channel group entry and close listener each). */
    private final LongAdder webSockets = new LongAdder();
    private final LongPoll longPoll;
    private final Map<String, HttpEndpoint> endpoints;
    private final StaticFiles staticFiles;
    private final ClassLoader loader;
    private final String clientScriptResource;
    private volatile byte[] clientScript;
    /** Other bundled files (comet.mjs, comet.d.ts, the start page), read once; absent ones map to an empty array. */
    private final ConcurrentHashMap<String, byte[]> resources = new ConcurrentHashMap<>();
    private final DeliveryBudget budget;
    private final ChannelOutbound.Limits limits;
    private final ConcurrentHashMap<EventLoop, LoopWriter> writers = new ConcurrentHashMap<>();
    private final ConnectionLimit connections;

    private final DeliveryObserver observer;

    ServerContext(CometEngine engine, WebConfig config, Map<String, HttpEndpoint> endpoints, ClassLoader loader,
                  String clientScriptResource) {
        this(engine, config, endpoints, loader, clientScriptResource, DeliveryObserver.NONE);
    }

    ServerContext(CometEngine engine, WebConfig config, Map<String, HttpEndpoint> endpoints, ClassLoader loader,
                  String clientScriptResource, DeliveryObserver observer) {
        this.observer = observer;
        this.engine = engine;
        this.config = config;
        this.commands = new Commands(engine);
        this.longPoll = new LongPoll(this);
        this.endpoints = Map.copyOf(endpoints);
        this.staticFiles = new StaticFiles(config.baseDir(), config.contentTypes());
        this.budget = new DeliveryBudget(config.deliveryBudget(),
                new SlowConsumers(io.netty.util.concurrent.GlobalEventExecutor.INSTANCE, config.slowConsumerTimeout()));
        this.limits = new ChannelOutbound.Limits(config);
        this.connections = new ConnectionLimit(config.limits());
        this.loader = loader;
        this.clientScriptResource = clientScriptResource;
    }

    /** The listener's connection limits. */
    ConnectionLimit connections() {
        return connections;
    }

    CometEngine engine() {
        return engine;
    }

    WebConfig config() {
        return config;
    }

    Commands commands() {
        return commands;
    }

    LongPoll longPoll() {
        return longPoll;
    }

    Map<String, HttpEndpoint> endpoints() {
        return endpoints;
    }

    StaticFiles staticFiles() {
        return staticFiles;
    }

    /** Counts an upgraded connection; {@link #webSocketClosed()} once when it goes. */
    void webSocketOpened() {
        webSockets.increment();
    }

    void webSocketClosed() {
        webSockets.decrement();
    }

    int webSocketCount() {
        return webSockets.intValue();
    }

    /** Bytes accepted for WebSocket delivery and not yet on the sockets, against the budget. */
    DeliveryBudget budget() {
        return budget;
    }

    ChannelOutbound.Limits outboundLimits() {
        return limits;
    }

    /** The batching writer of {@code loop} (one per event loop, made on first use). */
    LoopWriter writer(EventLoop loop) {
        LoopWriter w = writers.get(loop);
        return w != null ? w : writers.computeIfAbsent(loop, l -> new LoopWriter(l, budget, budget.slowConsumers(), limits, observer));
    }

    /** The bundled JS client, or {@code null} when the resource is absent (read once, then cached). */
    byte[] clientScript() {
        byte[] s = clientScript;
        if (s == null) {
            try (InputStream in = loader.getResourceAsStream(clientScriptResource)) {
                if (in == null) {
                    return null;
                }
                s = in.readAllBytes();
                clientScript = s;
            } catch (IOException e) {
                return null;
            }
        }
        return s;
    }

    /**
     * A file next to the client script ({@code comet.mjs}, {@code comet.d.ts}, …), or {@code null}
     * when absent (read once, then cached).
     */
    byte[] clientFile(String name) {
        int slash = clientScriptResource.lastIndexOf('/');
        return resource(clientScriptResource.substring(0, slash + 1) + name);
    }

    /** A class-path resource of this module, or {@code null} when absent (read once, then cached). */
    byte[] resource(String path) {
        byte[] b = resources.computeIfAbsent(path, p -> {
            try (InputStream in = loader.getResourceAsStream(p)) {
                return in == null ? new byte[0] : in.readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        return b.length == 0 ? null : b;
    }
}

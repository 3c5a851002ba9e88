package io.comet.transport;

import io.comet.core.CometEngine;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * What every channel of one {@link CometWebServer} shares: engine, config, command
 * dispatcher, the live WebSocket channels (for {@code maxUptime}), long-poll sessions, extra
 * endpoints, static files and the bundled client script. Passed to handlers through their
 * constructors (no static state).
 */
final class ServerContext {

    static final AttributeKey<Long> CONNECTED_AT = AttributeKey.valueOf("comet.connectedAt");

    private final CometEngine engine;
    private final WebConfig config;
    private final Commands commands;
    private final ChannelGroup webSockets;
    private final LongPoll longPoll;
    private final Map<String, HttpEndpoint> endpoints;
    private final StaticFiles staticFiles;
    private final WebSocketDecoderConfig decoderConfig;
    private final ClassLoader loader;
    private final String clientScriptResource;
    private volatile byte[] clientScript;

    ServerContext(CometEngine engine, WebConfig config, ChannelGroup webSockets, Map<String, HttpEndpoint> endpoints,
                  ClassLoader loader, String clientScriptResource) {
        this.engine = engine;
        this.config = config;
        this.commands = new Commands(engine);
        this.webSockets = webSockets;
        this.longPoll = new LongPoll(this);
        this.endpoints = Map.copyOf(endpoints);
        this.staticFiles = new StaticFiles(config.baseDir(), config.contentTypes());
        this.decoderConfig = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(config.maxFramePayload())
                .expectMaskedFrames(true)
                .allowMaskMismatch(false)
                .allowExtensions(false)
                .closeOnProtocolViolation(true)
                .withUTF8Validator(false) // checked by WebSocketHandler, answered with an error frame (§4.14)
                .build();
        this.loader = loader;
        this.clientScriptResource = clientScriptResource;
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

    WebSocketDecoderConfig decoderConfig() {
        return decoderConfig;
    }

    ChannelGroup webSockets() {
        return webSockets;
    }

    /** Registers an upgraded channel for the maxUptime check. */
    void track(Channel ch) {
        ch.attr(CONNECTED_AT).set(System.nanoTime());
        webSockets.add(ch);
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
}

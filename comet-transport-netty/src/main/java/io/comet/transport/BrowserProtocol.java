package io.comet.transport;

import io.comet.core.ConnectRequest;
import io.comet.core.Message;
import io.comet.core.Session;
import io.comet.core.engine.CometEngine;
import java.util.List;
import java.util.Objects;

/**
 * The browser protocol (docs/client-protocol.md) without a socket, for adapters that host Comet's
 * WebSocket endpoint in another server (comet-servlet: a servlet container's Jakarta WebSocket
 * support): the URL and {@code Origin} rules of an upgrade (§1.3, §1.4, §4.13), the wire format of
 * every message (§3) and the commands of §2 — the same code {@link CometWebServer} runs, so both
 * doors behave alike. The adapter owns the socket: it connects the {@link ConnectRequest} to the
 * engine with an {@link io.comet.core.Outbound} that writes {@link #frameText} as text frames, and
 * passes each received text frame to {@link #execute}. Thread-safe.
 */
public final class BrowserProtocol {

    private final CometEngine engine;
    private final WebConfig config;
    private final Commands commands;

    private BrowserProtocol(CometEngine engine, WebConfig config) {
        this.engine = engine;
        this.config = config;
        this.commands = new Commands(engine);
    }

    /**
     * The protocol of an engine, with the {@code hosts} (allowed origins) of a web configuration.
     *
     * @param engine the engine
     * @param config the web settings; only {@link WebConfig#hosts()} applies here
     * @return the protocol
     */
    public static BrowserProtocol of(CometEngine engine, WebConfig config) {
        return new BrowserProtocol(Objects.requireNonNull(engine, "engine"), Objects.requireNonNull(config, "config"));
    }

    /** {@return the engine} */
    public CometEngine engine() {
        return engine;
    }

    /**
     * What an upgrade request leads to: a connect request for the engine, or the error frame to
     * send before dropping the connection (§1.4).
     *
     * @param request    the connect request, null when refused
     * @param errorFrame the text of the one error frame on pipe {@code sys}, null when accepted
     * @param errorCode  the error's code (401, 406, 418, 423), 0 when accepted
     */
    public record Admission(ConnectRequest request, String errorFrame, int errorCode) {
        /** {@return whether the connection is accepted} */
        public boolean accepted() {
            return request != null;
        }
    }

    /**
     * Applies the URL and origin rules to an upgrade request.
     *
     * @param rest      the raw (undecoded) path after {@code /ws/}
     * @param origin    the {@code Origin} header, null when absent
     * @param userAgent the {@code User-Agent} header, null when absent
     * @param language  the {@code Accept-Language} header, null when absent
     * @param ip        the client's address, {@code ""} when unknown
     * @return the admission
     */
    public Admission admit(String rest, String origin, String userAgent, String language, String ip) {
        // a WebSocket key is base64 with '=' padding: the original's whole-request search finds it (ClientUrl)
        return admit(engine, config.hosts(), rest, true, origin, userAgent, language, ip);
    }

    /** The upgrade rules, shared with {@link WebSocketUpgrade}. */
    static Admission admit(CometEngine engine, List<String> hosts, String rest, boolean keyHasEquals, String origin,
                           String userAgent, String language, String ip) {
        ClientUrl.Result parsed = ClientUrl.parse(rest, keyHasEquals);
        ClientUrl.Error error = parsed.error();
        if (error == null && !Origins.allowed(hosts, origin)) {
            error = new ClientUrl.Error(423, ClientUrl.E423, !parsed.url().legacy());
        }
        if (error != null) {
            return new Admission(null, WireFormat.encode(error.message(engine.nowSeconds()), error.legacy()).json(),
                    error.code());
        }
        ClientUrl url = parsed.url();
        return new Admission(new ConnectRequest(url.devId(), url.userId(), url.credential(), url.uuid(), url.apiMajor(),
                userAgent, ip, origin, language), null, 0);
    }

    /**
     * The text frame of a message for a connection (v4 or legacy format, with positions for a
     * position-aware session).
     *
     * @param message the message
     * @param request the connection's connect request (its client version)
     * @param session the connection's session, null before it is connected
     * @return the frame's JSON text
     */
    public String frameText(Message message, ConnectRequest request, Session session) {
        return WireFormat.encode(message, request.apiMajor() < 4, session).json();
    }

    /**
     * The bad-input log of one connection: its first incidents are INFO lines, the rest debug.
     *
     * @param connection how log lines name the connection ({@code toString()}, called only when logging)
     * @return the log, one per connection
     */
    public Incidents incidents(Object connection) {
        return new Incidents(new BadInputLog.Named(connection));
    }

    /**
     * Logs a connection's bad input (a frame that is not UTF-8, a protocol violation the adapter saw).
     *
     * @param incidents the connection's log
     * @param what      what happened (client text is escaped)
     */
    public void bad(Incidents incidents, String what) {
        incidents.log.bad(what);
    }

    /**
     * Executes one received text frame (a command of §2). Bad input is answered on the session
     * (error frames) and logged on the connection's {@link Incidents}.
     *
     * @param session   the connection's session
     * @param text      the frame's text
     * @param incidents the connection's bad-input log
     * @return true when the connection must be dropped (after the queued error frame)
     */
    public boolean execute(Session session, String text, Incidents incidents) {
        return commands.execute(session, text, incidents.log) == Commands.Outcome.DISCONNECT;
    }

    /** The bad-input log of one connection (see {@link #incidents}). */
    public static final class Incidents {
        private final BadInputLog log;

        private Incidents(BadInputLog log) {
            this.log = log;
        }
    }
}

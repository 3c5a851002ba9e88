package io.comet.servlet;

import io.comet.core.Session;
import io.comet.transport.BrowserProtocol;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browser connection on the container's WebSocket support: admits the upgrade with the
 * protocol's URL and origin rules, connects the session to the engine, and runs each text message
 * as a command (client-protocol.md §2). One instance per connection ({@link CometServlet} installs it).
 */
public final class CometEndpoint extends Endpoint {

    private static final Logger log = LoggerFactory.getLogger("io.comet.servlet.ws");
    /** Commands accepted before the session is ready (auth lookup in flight), as the Netty listener. */
    private static final int MAX_EARLY_COMMANDS = 64;

    private final BrowserProtocol protocol;
    private final int maxMessage;
    private ServletOutbound outbound;
    private BrowserProtocol.Incidents incidents;
    private Session session;
    private ArrayDeque<String> early;
    private boolean closing;
    private boolean gone;

    CometEndpoint(BrowserProtocol protocol, int maxMessage) {
        this.protocol = protocol;
        this.maxMessage = maxMessage;
    }

    @Override
    public void onOpen(jakarta.websocket.Session ws, EndpointConfig config) {
        String path = ws.getRequestURI().getRawPath();
        int at = path.indexOf("/ws/");
        String rest = at < 0 ? "" : path.substring(at + 4);
        String ip = ws.getUserProperties().get("jakarta.websocket.endpoint.remoteAddress") instanceof InetSocketAddress a
                && a.getAddress() != null ? a.getAddress().getHostAddress() : "";
        BrowserProtocol.Admission admission = protocol.admit(rest, header(config, CometServlet.ORIGIN),
                header(config, CometServlet.USER_AGENT), header(config, CometServlet.LANGUAGE), ip);
        if (!admission.accepted()) {
            log.info("WebSocket {} refused with {}", ws.getId(), admission.errorCode());
            try {
                ws.getBasicRemote().sendText(admission.errorFrame());
                ws.close();
            } catch (IOException e) {
                // gone already
            }
            return;
        }
        ws.setMaxTextMessageBufferSize(maxMessage);
        ws.setMaxIdleTimeout(0); // WebSockets have no idle timeout (client-protocol §4.12); Jetty's default is 30 s
        incidents = protocol.incidents("servlet ws " + (ip.isEmpty() ? ws.getId() : ip));
        outbound = new ServletOutbound(ws, protocol, admission.request());
        ws.addMessageHandler(String.class, (MessageHandler.Whole<String>) this::onText);
        protocol.engine().connect(admission.request(), outbound).whenComplete((s, e) -> connected(s, e));
    }

    private static String header(EndpointConfig config, String name) {
        return config.getUserProperties().get(name) instanceof String v ? v : null;
    }

    private void connected(Session s, Throwable e) {
        if (e != null) {
            log.warn("connect failed: {}", e.toString());
            outbound.close();
            return;
        }
        synchronized (this) {
            session = s;
            outbound.attach(s);
            if (gone) {
                s.close();
                return;
            }
            String cmd;
            while (early != null && (cmd = early.poll()) != null) {
                execute(cmd);
            }
        }
    }

    private synchronized void onText(String text) {
        if (session != null) {
            execute(text);
        } else if (early == null || early.size() < MAX_EARLY_COMMANDS) {
            if (early == null) {
                early = new ArrayDeque<>(4);
            }
            early.add(text);
        } else {
            protocol.bad(incidents, "too many commands before the session was ready, disconnecting");
            outbound.close();
        }
    }

    private void execute(String text) {
        if (!closing && protocol.execute(session, text, incidents)) {
            closing = true;
            outbound.closeAfterPending();
        }
    }

    @Override
    public void onClose(jakarta.websocket.Session ws, CloseReason reason) {
        if (outbound == null) {
            return; // refused
        }
        outbound.markClosed();
        synchronized (this) {
            gone = true;
            if (session != null) {
                session.close();
            }
        }
    }

    @Override
    public void onError(jakarta.websocket.Session ws, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("ws {}: {}", ws.getId(), cause.toString()); // a browser that went away: expected
        } else if (incidents != null) {
            protocol.bad(incidents, "connection error: " + cause);
        }
    }
}

package io.comet.servlet;

import io.comet.core.ConnectRequest;
import io.comet.core.Message;
import io.comet.core.Outbound;
import io.comet.core.Session;
import io.comet.transport.BrowserProtocol;
import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's way out to one Jakarta WebSocket session: messages are encoded at once, queued, and
 * written by one asynchronous send at a time (the container allows no more). Whatever queued while
 * a send was in flight leaves in the next frame, lines joined by {@code \n}, as the clients split
 * frames (client-protocol.md §3.3). A connection with more than {@link #MAX_QUEUED} messages
 * waiting is a stalled consumer and is closed.
 */
final class ServletOutbound implements Outbound {

    /** Messages waiting for one connection before it is dropped. */
    static final int MAX_QUEUED = 10_000;
    /** Characters joined into one frame at most. */
    private static final int MAX_BATCH_CHARS = 64 * 1024;
    private static final Logger log = LoggerFactory.getLogger("io.comet.servlet.ws");

    private final jakarta.websocket.Session ws;
    private final BrowserProtocol protocol;
    private final ConnectRequest request;
    private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean sending = new AtomicBoolean();
    private volatile Session session;
    private volatile boolean closed;
    private volatile boolean closeWhenSent;

    ServletOutbound(jakarta.websocket.Session ws, BrowserProtocol protocol, ConnectRequest request) {
        this.ws = ws;
        this.protocol = protocol;
        this.request = request;
    }

    /** The session is known: later messages carry its positions (when it asked for them). */
    void attach(Session s) {
        session = s;
    }

    @Override
    public boolean send(Message message) {
        if (closed) {
            return false;
        }
        if (queued.incrementAndGet() > MAX_QUEUED) {
            queued.decrementAndGet();
            log.info("ws {}: more than {} messages waiting, closing the stalled connection", ws.getId(), MAX_QUEUED);
            close();
            return false;
        }
        queue.add(protocol.frameText(message, request, session));
        kick();
        return true;
    }

    /** Closes once what is queued now (an error frame) has been sent. */
    void closeAfterPending() {
        closeWhenSent = true;
        kick();
    }

    /** The connection ended: nothing more is queued. */
    void markClosed() {
        closed = true;
        queue.clear();
    }

    private void kick() {
        if (sending.compareAndSet(false, true)) {
            sendNext();
        }
    }

    private void sendNext() {
        StringBuilder batch = null;
        String t;
        while ((batch == null || batch.length() < MAX_BATCH_CHARS) && (t = queue.poll()) != null) {
            queued.decrementAndGet();
            batch = batch == null ? new StringBuilder(t) : batch.append('\n').append(t);
        }
        if (batch == null || closed) {
            sending.set(false);
            if (!queue.isEmpty() && !closed) {
                kick(); // queued after the poll, before the flag went down
            } else if (closeWhenSent) {
                close();
            }
            return;
        }
        try {
            ws.getAsyncRemote().sendText(batch.toString(), result -> {
                if (result.isOK()) {
                    sendNext();
                } else {
                    sending.set(false);
                    close();
                }
            });
        } catch (IllegalStateException e) { // the session closed under us
            sending.set(false);
            markClosed();
        }
    }

    /**
     * Closes the WebSocket. Unlike the Netty listener (an abrupt TCP close, §1.7), the Jakarta API
     * can only close with a Close frame: the v4 client then reconnects only after a page reload
     * or its own restart (comet-servlet README).
     */
    @Override
    public void close() {
        markClosed();
        try {
            ws.close();
        } catch (IOException e) {
            // already gone
        }
    }
}

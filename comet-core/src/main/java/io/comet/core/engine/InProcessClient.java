package io.comet.core.engine;

import java.time.Duration;
import io.comet.core.Message;
import io.comet.core.Outbound;
import io.comet.core.Session;
import io.comet.core.SubscribeResult;
import io.comet.core.WebPublishResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * An in-process connection that records every message it receives: lets an application's
 * chat logic be tested with no sockets. Obtained from {@link CometEngine#connectInProcess}.
 *
 * <pre>{@code
 * InProcessClient bob = engine.connectInProcess(ConnectRequest.user(0, 7, "hash7", "bob"));
 * bob.subscribe(List.of("web_chat"));
 * Message m = bob.await(msg -> msg.pipe().equals("msg"), Duration.ofSeconds(1));
 * }</pre>
 */
public final class InProcessClient implements Outbound {

    private final CometEngine engine;
    private final List<Message> received = new ArrayList<>();
    private Session session;
    private boolean closed;

    InProcessClient(CometEngine engine) {
        this.engine = engine;
    }

    void attach(Session s) {
        synchronized (this) {
            session = s;
        }
    }

    /** The engine session behind this client. */
    public synchronized Session session() {
        return session;
    }

    /** Sends {@code subscription} with these pipes (the whole set, §2.3). */
    public SubscribeResult subscribe(Collection<String> pipes) {
        return engine.subscribe(session(), pipes);
    }

    /** Publishes from this "browser" ({@code web_pipe2}, §2.4). */
    public CompletableFuture<WebPublishResult> publish(String pipe, String event, String text) {
        return engine.webPublish(session(), pipe, event, text);
    }

    @Override
    public synchronized boolean send(Message message) {
        if (closed) {
            return false;
        }
        received.add(message);
        notifyAll();
        return true;
    }

    /** Server-side abrupt close (kick): the client is closed and its session ended. */
    @Override
    public void close() {
        Session s;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            s = session;
            notifyAll();
        }
        if (s != null) {
            s.close();
        }
    }

    /** True once closed by the server or by {@link #disconnect()}. */
    public synchronized boolean isClosed() {
        return closed;
    }

    /** The client goes away (like a browser closing the tab). */
    public void disconnect() {
        close();
    }

    /** Snapshot of every message received so far, in order. */
    public synchronized List<Message> messages() {
        return List.copyOf(received);
    }

    /** Messages received on {@code pipe}, in order. */
    public synchronized List<Message> messages(String pipe) {
        List<Message> out = new ArrayList<>();
        for (Message m : received) {
            if (m.pipe().equals(pipe)) {
                out.add(m);
            }
        }
        return out;
    }

    /** Forgets what was received so far. */
    public synchronized void clear() {
        received.clear();
    }

    /**
     * Waits until a received message matches, returning the first match.
     *
     * @throws IllegalStateException wrapping a {@link TimeoutException} when none arrives in time
     */
    public synchronized Message await(Predicate<Message> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (true) {
            for (; checked < received.size(); checked++) {
                if (match.test(received.get(checked))) {
                    return received.get(checked);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException(new TimeoutException("no matching message within " + timeout
                        + "; received " + received));
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Waits until {@code count} messages on {@code pipe} have been received; returns them. */
    public synchronized List<Message> awaitCount(String pipe, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Message> got = messages(pipe);
            if (got.size() >= count) {
                return got;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException(new TimeoutException("expected " + count + " on " + pipe
                        + " within " + timeout + ", got " + got.size()));
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}

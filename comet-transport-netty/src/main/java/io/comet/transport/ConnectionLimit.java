package io.comet.transport;

import io.comet.core.limits.ConnectionCounter;
import io.comet.core.limits.OncePerSecond;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open connections of one listener and its {@link WebLimits#maxConnections()} and
 * {@link WebLimits#maxConnectionsPerAddress()}: every accepted connection is counted and kept
 * in {@link #channels()} until it closes; one beyond a limit gets a plain
 * {@code 503 Service Unavailable} (before anything is read) and is closed. Refusals are counted
 * ({@link CometWebServer#refusedConnections()}) and logged at most once a second. One shared
 * close listener does both releases (a {@code ChannelGroup} would add a second listener, and
 * Netty a listener array, to every connection).
 */
final class ConnectionLimit {

    private static final Logger log = LoggerFactory.getLogger("io.comet.transport.server");
    private static final byte[] BUSY = ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=UTF-8\r\n"
            + "Content-Length: 20\r\nConnection: close\r\nRetry-After: 5\r\n\r\nToo many connections")
            .getBytes(StandardCharsets.US_ASCII);

    private final ConnectionCounter<Object> counter;
    private final OncePerSecond refusalLog = new OncePerSecond();
    /** One listener for every admitted connection: nothing is kept per connection for the count. */
    private final ChannelFutureListener release;

    private final Set<Channel> open = ConcurrentHashMap.newKeySet();

    ConnectionLimit(WebLimits limits) {
        counter = new ConnectionCounter<>(limits.maxConnections(), limits.maxConnectionsPerAddress());
        release = f -> {
            if (open.remove(f.channel())) {
                counter.close(key(f.channel()));
            }
        };
    }

    /** The admitted connections still open (a live view). */
    Set<Channel> channels() {
        return open;
    }

    /** Closes every admitted connection abruptly and waits up to {@code timeout} for them to go. */
    void closeAll(Duration timeout) {
        List<ChannelFuture> closing = new ArrayList<>();
        for (Channel ch : open) {
            closing.add(ch.close());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ChannelFuture f : closing) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !f.awaitUninterruptibly(TimeUnit.NANOSECONDS.toMillis(left) + 1)) {
                break;
            }
        }
    }

    ConnectionCounter<Object> counter() {
        return counter;
    }

    /** Counts {@code ch} (uncounted when it closes) or refuses it with a 503; false when refused. */
    boolean admit(Channel ch) {
        ConnectionCounter.Refusal r = counter.tryOpen(key(ch));
        if (r == ConnectionCounter.Refusal.NONE) {
            open.add(ch);
            ch.closeFuture().addListener(release); // runs at once if ch closed already
            return true;
        }
        if (refusalLog.tryPass(System.nanoTime())) {
            log.warn("refused a connection from {}: {} ({} refused so far)", ip(ch),
                    r == ConnectionCounter.Refusal.TOTAL ? "maxConnections " + counter.maxTotal() + " reached"
                            : "maxConnectionsPerAddress " + counter.maxPerAddress() + " reached", counter.refused());
        }
        ch.writeAndFlush(Unpooled.wrappedBuffer(BUSY)).addListener(ChannelFutureListener.CLOSE);
        return false;
    }

    /**
     * The peer's address as the count's key: the {@code InetAddress} the channel already holds
     * (the channel caches its remote address from the first call, so the same key comes back
     * when it closes), no text made per connection.
     */
    private static Object key(Channel ch) {
        return ch.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null ? a.getAddress()
                : String.valueOf(ch.remoteAddress());
    }

    static String ip(Channel ch) {
        return ch.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : String.valueOf(ch.remoteAddress());
    }
}

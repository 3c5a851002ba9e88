package io.comet.cometql.protocol;

import io.comet.core.limits.ConnectionCounter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission of a new MySQL connection: counted in all and as not logged in (both per address
 * too) until it closes / logs in; beyond a limit it gets, instead of the handshake, what MySQL
 * sends then: ERR 1040 {@code Too many connections} (sequence id 0), and is closed. Refusals
 * are counted and logged at most once a second.
 */
final class ConnectionGate {

    private static final Logger log = LoggerFactory.getLogger("io.comet.cometql.protocol.limits");

    private ConnectionGate() {
    }

    static boolean admit(Channel ch, CometQlGuards guards) {
        String ip = ip(ch);
        ConnectionCounter.Refusal r = guards.connections().tryOpen(ip);
        String which = "maxConnections" + (r == ConnectionCounter.Refusal.PER_ADDRESS ? "PerAddress" : "");
        if (r == ConnectionCounter.Refusal.NONE) {
            r = guards.unauthenticated().tryOpen(ip);
            which = "maxUnauthenticated" + (r == ConnectionCounter.Refusal.PER_ADDRESS ? "PerAddress" : "");
            if (r != ConnectionCounter.Refusal.NONE) {
                guards.connections().close(ip);
            }
        }
        if (r == ConnectionCounter.Refusal.NONE) {
            ch.closeFuture().addListener(f -> guards.connections().close(ip));
            return true;
        }
        if (guards.refusalLog().tryPass(System.nanoTime())) {
            log.warn("refused a CometQL connection from {}: {} reached", ip, which);
        }
        ByteBuf err = ch.alloc().buffer();
        byte[] msg = "Too many connections".getBytes(StandardCharsets.US_ASCII);
        int len = 1 + 2 + 1 + 5 + msg.length;
        err.writeMediumLE(len).writeByte(0).writeByte(0xFF).writeShortLE(1040).writeByte('#')
                .writeBytes("08004".getBytes(StandardCharsets.US_ASCII)).writeBytes(msg);
        ch.writeAndFlush(err).addListener(ChannelFutureListener.CLOSE);
        return false;
    }

    static String ip(Channel ch) {
        return ch.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : String.valueOf(ch.remoteAddress());
    }
}

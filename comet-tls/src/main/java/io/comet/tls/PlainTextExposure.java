package io.comet.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.slf4j.Logger;

/**
 * The secure-defaults rule shared by both listeners: a listener that accepts plain text on an
 * address other than loopback ({@code 0.0.0.0}, {@code ::}, a LAN or public address) says so at
 * start with one WARN line naming the remedy. Binding such an address stays allowed: an explicit
 * {@code ip = 0.0.0.0} of an original comet.ini keeps working.
 */
public final class PlainTextExposure {

    private PlainTextExposure() {
    }

    /**
     * {@return true when {@code ip} is a loopback address (127.0.0.0/8, ::1, localhost); an
     * address that does not resolve counts as not loopback}
     */
    public static boolean isLoopback(String ip) {
        try {
            return InetAddress.getByName(ip.startsWith("[") ? ip.substring(1, ip.length() - 1) : ip).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Logs one WARN when {@code plainText} and {@code ip} is not loopback.
     *
     * @param log       the listener's logger
     * @param what      e.g. {@code "CometQL on 0.0.0.0:3300 accepts plain-text logins"}
     * @param ip        the bound address
     * @param plainText whether anything on it travels unencrypted
     * @param remedy    what to configure instead
     * @return true if the warning was logged
     */
    public static boolean warnIfPublic(Logger log, String what, String ip, boolean plainText, String remedy) {
        if (!plainText || isLoopback(ip)) {
            return false;
        }
        log.warn("{} on a non-loopback interface: it crosses the network readable. {}", what, remedy);
        return true;
    }
}

package io.comet.bench;

import io.netty.channel.Channel;

import java.util.concurrent.ThreadLocalRandom;

/**
 * One simulated browser tab: its identity (user id, key, uuid), the pipes it subscribes to and
 * the counters the scenarios read. A {@code Conn} outlives its channels: a reconnect opens a new
 * channel for the same tab, as the JS client does.
 */
final class Conn {
    private static final char[] UUID_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".toCharArray();

    final int id;
    /** Authenticated user id, 0 = anonymous (then {@code myid=undefined} like the JS client). */
    final long userId;
    /** {@code user_key}; null = not set (sent as {@code undefined}). */
    final String key;
    final String uuid;
    /** Pipe names, sent on every open as {@code subscription\n{names}}. */
    final String[] pipes;
    /** Scenario-defined index of each pipe (carried in the published payload). */
    final int[] pipeIdx;

    volatile Channel channel;
    volatile boolean open;
    volatile boolean infoReceived;
    volatile boolean authorized;
    /** Set by a scenario when the first probe reached this tab (it is subscribed). */
    volatile boolean ready;
    boolean statisticsSent;
    volatile boolean settled;
    Opener opener;

    // written by the connection's event loop only
    volatile long received;
    long[] lastSeq;
    volatile long reordered;
    volatile long duplicates;
    volatile long sysErrors;
    volatile long closeFrames;
    volatile String lastError;

    Conn(int id, long userId, String key, String[] pipes, int[] pipeIdx) {
        this.id = id;
        this.userId = userId;
        this.key = key;
        this.pipes = pipes;
        this.pipeIdx = pipeIdx;
        char[] u = new char[32];
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < u.length; i++) {
            u[i] = UUID_CHARS[r.nextInt(UUID_CHARS.length)];
        }
        this.uuid = new String(u);
    }

    static Conn anonymous(int id, String[] pipes, int[] pipeIdx) {
        return new Conn(id, 0, null, pipes, pipeIdx);
    }

    /** The WebSocket path exactly as {@code CometServerApi.js} 4.08 builds it (§1.3). */
    String path(int devId) {
        return "/ws/sesion=" + (key == null ? "undefined" : key)
                + "&myid=" + (userId == 0 ? "undefined" : Long.toString(userId))
                + "&devid=" + devId + "&v=4.08&uuid=" + uuid + "&api=js";
    }

    /** The subscription command sent on open, or null when the tab has no pipes. */
    String subscription() {
        if (pipes == null || pipes.length == 0) {
            return null;
        }
        return "subscription\n" + String.join("\n", pipes);
    }

    /** Slot of a pipe index in {@link #pipeIdx}, -1 when not subscribed. */
    int slotOf(int idx) {
        if (pipeIdx == null) {
            return 0;
        }
        for (int i = 0; i < pipeIdx.length; i++) {
            if (pipeIdx[i] == idx) {
                return i;
            }
        }
        return -1;
    }

    /** Clears the delivery counters before a measured step. */
    void resetCounters(int publishers) {
        int slots = pipeIdx == null ? 1 : Math.max(1, pipeIdx.length);
        lastSeq = new long[slots * (publishers + 1)];
        received = 0;
        reordered = 0;
        duplicates = 0;
    }
}

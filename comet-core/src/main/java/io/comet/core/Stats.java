package io.comet.core;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters for {@code show status} (cometql.md §3.10): browser and backend connections,
 * messages, deliveries. Cheap to update from any thread.
 */
public final class Stats {

    private final long startMillis;
    private final LongAdder messages = new LongAdder();
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder historyWriteFailures = new LongAdder();
    private final LongAdder browserAuthFailures = new LongAdder();
    private final LongAdder connects = new LongAdder();
    private final LongAdder disconnects = new LongAdder();
    private final LongAdder backendConnects = new LongAdder();
    private final LongAdder backendDisconnects = new LongAdder();
    private final AtomicInteger online = new AtomicInteger();
    private final AtomicInteger backendOnline = new AtomicInteger();
    private final ConcurrentHashMap<Integer, AtomicInteger> onlineByDev = new ConcurrentHashMap<>();

    public Stats(long startMillis) {
        this.startMillis = startMillis;
    }

    private volatile java.util.function.IntSupplier pipes = () -> 0;
    private volatile java.util.function.LongSupplier subscriptions = () -> 0;

    /** Set once by the node's pipe registry: where {@link #pipes()} and {@link #subscriptions()} read. */
    public void pipeCounts(java.util.function.IntSupplier pipeCount, java.util.function.LongSupplier subscriptionCount) {
        pipes = java.util.Objects.requireNonNull(pipeCount, "pipeCount");
        subscriptions = java.util.Objects.requireNonNull(subscriptionCount, "subscriptionCount");
    }

    /** {@return pipes with at least one subscriber on this node (metrics)} */
    public int pipes() {
        return pipes.getAsInt();
    }

    /** {@return subscriptions (session × pipe) on this node (metrics; O(pipes))} */
    public long subscriptions() {
        return subscriptions.getAsLong();
    }

    public void published() {
        messages.increment();
    }

    public void delivered(int n) {
        deliveries.add(n);
    }

    /** A publication's history write failed (the publisher got an error, nothing was delivered). */
    public void historyWriteFailed() {
        historyWriteFailures.increment();
    }

    /** Publications refused because their history could not be written. */
    public long historyWriteFailures() {
        return historyWriteFailures.sum();
    }

    /** A browser connection came with a user id whose hash or JWT was refused (it connects anonymous). */
    public void browserAuthFailed() {
        browserAuthFailures.increment();
    }

    /** Browser logins refused since the start (a user id with a wrong hash, or a bad, expired or revoked JWT). */
    public long browserAuthFailures() {
        return browserAuthFailures.sum();
    }

    public void connected(int devId) {
        connects.increment();
        online.incrementAndGet();
        onlineByDev.computeIfAbsent(devId, k -> new AtomicInteger()).incrementAndGet();
    }

    public void disconnected(int devId) {
        disconnects.increment();
        online.decrementAndGet();
        AtomicInteger c = onlineByDev.get(devId);
        if (c != null) {
            c.decrementAndGet();
        }
    }

    /** A CometQL (backend) connection logged in; call {@link #backendDisconnected()} when it ends. */
    public void backendConnected() {
        backendConnects.increment();
        backendOnline.incrementAndGet();
    }

    /** A CometQL (backend) connection ended. */
    public void backendDisconnected() {
        backendDisconnects.increment();
        backendOnline.decrementAndGet();
    }

    /** Wall-clock millis when the engine started. */
    public long startMillis() {
        return startMillis;
    }

    /** Messages published (pipe, browser and private), the original's event counter. */
    public long messages() {
        return messages.sum();
    }

    /** Copies accepted by connections. */
    public long deliveries() {
        return deliveries.sum();
    }

    /** Browser connections opened since start. */
    public long connects() {
        return connects.sum();
    }

    /** Browser connections closed since start. */
    public long disconnects() {
        return disconnects.sum();
    }

    /** Browser connections open now. */
    public int online() {
        return online.get();
    }

    /** Browser connections open now in one namespace. */
    public int online(int devId) {
        AtomicInteger c = onlineByDev.get(devId);
        return c == null ? 0 : c.get();
    }

    /** CometQL connections open now. */
    public int backendOnline() {
        return backendOnline.get();
    }

    /** CometQL logins since start. */
    public long backendConnects() {
        return backendConnects.sum();
    }

    /** CometQL disconnects since start. */
    public long backendDisconnects() {
        return backendDisconnects.sum();
    }
}

package io.comet.core;

import java.util.concurrent.CompletableFuture;

/**
 * A transport's server-wide budget of bytes accepted for delivery but not yet handed to the
 * operating system (ARCHITECTURE.md rule 4). A transport registers one with
 * {@link CometEngine#addDeliveryBacklog}; publishers that can wait (a CometQL {@code INSERT})
 * ask {@link CometEngine#whenDeliveryBacklogBelowLimit()} before they acknowledge, so an
 * overloaded server pushes back on publishers instead of queueing without bound.
 *
 * <p>Implementations must be thread-safe and cheap to call on every publish.
 */
public interface DeliveryBacklog {

    /** Bytes accepted for delivery and not yet written to the sockets. */
    long pendingBytes();

    /** The budget: at or above it, {@link #whenBelowLimit()} returns an incomplete future. */
    long limit();

    /**
     * A future that completes (on any thread) once {@link #pendingBytes()} is below
     * {@link #limit()}; already complete when it is below now.
     */
    CompletableFuture<Void> whenBelowLimit();
}

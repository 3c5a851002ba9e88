package io.comet.core;

import java.util.concurrent.CompletableFuture;

/**
 * A transport's server-wide budget of bytes accepted for delivery but not yet handed to the
 * operating system (docs/architecture.md rule 5). A transport registers one with
 * {@code engine.backpressure().add(…)}; publishers that can wait (a CometQL {@code INSERT})
 * wait for {@code engine.backpressure().whenBelowLimit()} before they acknowledge, so an
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

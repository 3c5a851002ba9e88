package io.comet.transport;

/**
 * What a metrics registry learns from the delivery path without the transport depending on one
 * (comet-server binds it to Micrometer): the publish→write latency of messages, sampled once per
 * distinct message per writer batch (the moment its bytes are first written to a socket of that
 * event loop), so a fan-out to 10,000 tabs costs one sample per loop, not 10,000. Called on
 * event loops: must not block.
 */
@FunctionalInterface
public interface DeliveryObserver {

    /** Observes nothing. */
    DeliveryObserver NONE = nanos -> {
    };

    /**
     * A message's bytes were written to a socket.
     *
     * @param publishToWriteNanos from the publication ({@code Message.createdNanos()}, before the
     *                            history commit when the pipe keeps history) to the write
     */
    void written(long publishToWriteNanos);
}

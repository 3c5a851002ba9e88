package io.comet.core;

/**
 * Where a {@link Session} delivers: implemented by each transport (WebSocket channel, long-poll
 * queue, in-process recorder). The core never sees a transport type (docs/architecture.md rule 3).
 */
public interface Outbound {

    /**
     * Queues {@code message} for this connection without blocking; callable from any thread.
     * Messages sent by one thread must arrive in the order sent.
     *
     * @return {@code true} if the message was accepted for writing, {@code false} if the
     *         connection is closed or refused it (over its outbound limit)
     */
    boolean send(Message message);

    /**
     * Drops the connection abruptly (no WebSocket Close frame, client-protocol.md §1.7) so that
     * clients reconnect. The transport then reports the disconnect with {@link Session#close()}.
     */
    void close();
}

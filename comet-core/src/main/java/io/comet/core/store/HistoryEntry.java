package io.comet.core.store;

/**
 * One stored pipe message (cometql.md §3.1, client-protocol.md §4.10).
 *
 * @param id     unique id (UUID text, 36 chars)
 * @param time   unix seconds when stored
 * @param pipe   pipe name
 * @param event  event name (an empty event is stored as {@code undefined}, as the original)
 * @param text   message body as received (unescaped)
 * @param userId sender id, 0 for backend publishes
 * @param offset position of the entry in its pipe's stream: 1, 2, 3… within one epoch
 *               ({@link StreamPosition}); assigned by the caller, stored and returned as is
 */
public record HistoryEntry(String id, long time, String pipe, String event, String text, long userId, long offset) {

    /** This entry at {@code offset}. */
    public HistoryEntry withOffset(long offset) {
        return new HistoryEntry(id, time, pipe, event, text, userId, offset);
    }
}

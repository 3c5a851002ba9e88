package io.comet.core.history;

import io.comet.core.store.HistoryEntry;
import java.util.List;

/**
 * The answer to "what did I miss since this position": the entries published since (ascending
 * offset, contiguous) when {@code recovered}, else none.
 *
 * @param recovered true when {@code missed} is every publication since the asked position
 * @param epoch     the pipe's epoch now ({@code ""} when it keeps no history)
 * @param offset    the position the client is at once it has {@code missed}
 * @param missed    the publications since the asked position, oldest first (empty when not recovered)
 */
public record Recovery(boolean recovered, String epoch, long offset, List<HistoryEntry> missed) {

    /** Not recoverable; the client should take the pipe's current position. */
    public static Recovery lost(String epoch, long offset) {
        return new Recovery(false, epoch, offset, List.of());
    }
}

package io.comet.core.store;

import java.util.Objects;

/**
 * Where a pipe's history stream stands: its epoch and the last offset appended in that epoch
 * ({@link Store#stream}). The offset stays when the entry itself is trimmed or deleted; a new
 * epoch starts when the stream is gone ({@link Store#deleteHistory}, {@link Store#deletePipeSetting}).
 *
 * @param epoch  short opaque text naming one run of offsets (1 to {@value #MAX_EPOCH_LENGTH} chars)
 * @param offset last offset appended in that epoch (0 when none yet)
 */
public record StreamPosition(String epoch, long offset) {

    /** Longest epoch the stores keep. */
    public static final int MAX_EPOCH_LENGTH = 32;

    /** Validates the epoch (1–32 chars) and the offset (≥ 0). */
    public StreamPosition {
        checkEpoch(epoch);
        if (offset < 0) {
            throw new IllegalArgumentException("offset: " + offset + " (expected: >= 0)");
        }
    }

    /** Fails with an {@link IllegalArgumentException} unless {@code epoch} has 1–32 chars. */
    private static void checkEpoch(String epoch) {
        Objects.requireNonNull(epoch, "epoch");
        if (epoch.isEmpty() || epoch.length() > MAX_EPOCH_LENGTH) {
            throw new IllegalArgumentException("epoch: '" + epoch + "' (expected: 1-" + MAX_EPOCH_LENGTH + " chars)");
        }
    }
}

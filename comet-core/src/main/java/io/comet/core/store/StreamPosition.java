package io.comet.core.store;

/**
 * Where a pipe's stream stands: its epoch (opaque text, changes whenever the pipe's history is
 * lost) and the last offset appended in that epoch.
 *
 * @param epoch  the epoch, at most 32 characters
 * @param offset the last offset appended (0 = none yet)
 */
public record StreamPosition(String epoch, long offset) {
}

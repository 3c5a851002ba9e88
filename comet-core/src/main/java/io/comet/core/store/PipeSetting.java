package io.comet.core.store;

/**
 * A {@code pipes_settings} row.
 *
 * @param devId  namespace
 * @param pipe   pipe name
 * @param length history length kept for the pipe (0 = off)
 */
public record PipeSetting(int devId, String pipe, int length) {
}

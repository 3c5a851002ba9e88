package io.comet.core.broker;

/**
 * What a publish did.
 *
 * @param epoch     the pipe's epoch, {@code null} when the pipe keeps no history
 * @param offset    the publication's offset in the pipe, 0 when the pipe keeps no history
 * @param delivered copies accepted by subscribers' connections (on every node the broker can count)
 */
public record Publication(String epoch, long offset, int delivered) {
}

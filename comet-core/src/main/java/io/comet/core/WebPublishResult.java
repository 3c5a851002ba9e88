package io.comet.core;

/**
 * Outcome of a browser publish ({@code web_pipe2}).
 *
 * @param pipe      the pipe delivered to ({@code @} removed)
 * @param delivered copies accepted by other subscribers' connections (sender excluded)
 */
public record WebPublishResult(String pipe, int delivered) {
}

package io.comet.launcher;

/** A bad configuration value: names the file, line and reason (fail fast at start). */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception as {@code file:line: reason}.
     *
     * @param source the source
     * @param line the line
     * @param reason the reason
     */
    public ConfigException(String source, int line, String reason) {
        super(source + ":" + line + ": " + reason);
    }

    /**
     * Creates the exception with a plain message.
     *
     * @param message the message
     */
    public ConfigException(String message) {
        super(message);
    }
}

package io.comet.server;

/**
 * Who may read {@code GET /metrics} on the browser port ({@code [main] metrics} in comet.ini).
 */
public enum MetricsAccess {
    /** The CometQL password, as for {@code POST /cometql}: {@code Authorization: Basic root:<password>} or {@code Bearer <password>} (the default). */
    PASSWORD,
    /** Anyone who reaches the port (bind it to a private network or put the proxy in front). */
    OPEN,
    /** No {@code /metrics} route (the registry still counts for {@link CometServer#meterRegistry()}). */
    OFF
}

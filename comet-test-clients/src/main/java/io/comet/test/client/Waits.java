package io.comet.test.client;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * Awaitility with the kit's defaults: the condition is checked at once and then every
 * {@value #POLL_MILLIS} ms (a push server answers in milliseconds; Awaitility's own default
 * waits 100 ms first), for at most {@link #TIMEOUT} unless {@code atMost} says otherwise. A
 * timeout fails with the alias and the last value seen.
 *
 * <pre>{@code
 * import static io.comet.test.client.Waits.await;
 *
 * await("alice subscribed").until(() -> engine.subscriberCount(0, "web_chat") == 1);
 * await("queue drained").atMost(Duration.ofSeconds(30)).until(queue::isEmpty);
 * }</pre>
 */
public final class Waits {

    /** The default deadline. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** The poll interval in milliseconds. */
    public static final long POLL_MILLIS = 5;

    private Waits() {
    }

    /**
     * A wait named in its failure message.
     *
     * @param alias what is awaited, e.g. {@code "alice subscribed"}
     * @return the condition factory, deadline {@link #TIMEOUT}
     */
    public static ConditionFactory await(String alias) {
        return Awaitility.await(alias).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(POLL_MILLIS))
                .atMost(TIMEOUT);
    }
}

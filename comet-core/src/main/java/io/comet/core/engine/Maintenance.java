package io.comet.core.engine;

import io.comet.core.context.EngineContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The TTL purge of queued messages and {@code trust_*} history (docs/cometql.md §6 [proj]), on its own daemon thread. */
final class Maintenance implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("io.comet.core.engine");

    private final EngineContext ctx;
    private final ScheduledExecutorService timer;

    Maintenance(EngineContext ctx, int intervalSeconds) {
        this.ctx = ctx;
        if (intervalSeconds > 0) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "comet-maintenance");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(this::purgeQuietly, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
        } else {
            timer = null;
        }
    }

    CompletableFuture<Void> purge() {
        long now = ctx.nowSeconds();
        long q = ctx.config().queueTtlSeconds() > 0 ? now - ctx.config().queueTtlSeconds() : Long.MIN_VALUE;
        long t = ctx.config().trustHistoryTtlSeconds() > 0 ? now - ctx.config().trustHistoryTtlSeconds() : Long.MIN_VALUE;
        return ctx.store().purge(q, t);
    }

    private void purgeQuietly() {
        try {
            purge().exceptionally(e -> {
                log.warn("purge failed: {}", e.toString());
                return null;
            });
        } catch (RuntimeException e) {
            log.warn("purge failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}

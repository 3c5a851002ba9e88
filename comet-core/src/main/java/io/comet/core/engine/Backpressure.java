package io.comet.core.engine;

import io.comet.core.DeliveryBacklog;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** The transports' delivery budgets, so publishers that can wait are slowed to the speed of delivery (rule 4). */
public final class Backpressure {

    private final CopyOnWriteArrayList<DeliveryBacklog> backlogs = new CopyOnWriteArrayList<>();

    /** Registers a transport's delivery budget; the transport removes it when it stops. */
    public void add(DeliveryBacklog backlog) {
        backlogs.addIfAbsent(Objects.requireNonNull(backlog, "backlog"));
    }

    /** Unregisters a budget added with {@link #add}. */
    public void remove(DeliveryBacklog backlog) {
        backlogs.remove(backlog);
    }

    /**
     * Completes when every registered budget is below its limit (already complete when all are):
     * a publisher that waits for this before acknowledging is slowed to the speed of delivery.
     */
    public CompletableFuture<Void> whenBelowLimit() {
        List<CompletableFuture<Void>> waiting = null;
        for (DeliveryBacklog b : backlogs) {
            CompletableFuture<Void> f = b.whenBelowLimit();
            if (!f.isDone()) {
                if (waiting == null) {
                    waiting = new ArrayList<>(2);
                }
                waiting.add(f);
            }
        }
        if (waiting == null) {
            return CompletableFuture.completedFuture(null);
        }
        return waiting.size() == 1 ? waiting.get(0) : CompletableFuture.allOf(waiting.toArray(new CompletableFuture<?>[0]));
    }
}

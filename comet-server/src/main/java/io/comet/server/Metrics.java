package io.comet.server;

import io.comet.cometql.CometQlServer;
import io.comet.cometql.QueryObserver;
import io.comet.cometql.protocol.AuthThrottle;
import io.comet.core.Stats;
import io.comet.core.engine.CometEngine;
import io.comet.transport.CometWebServer;
import io.comet.transport.DeliveryObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Comet's metrics in one Micrometer {@link PrometheusMeterRegistry} (docs: README, "Operations"):
 * gauges and counters read from what the parts already count ({@link Stats}, the listeners), the
 * publish→write latency from the transport's {@link DeliveryObserver}, CometQL statements from the
 * {@link QueryObserver}, store operations from {@link MeteredStore}, and the JVM's memory, GC,
 * threads and CPU from Micrometer's binders. The core stays free of metrics libraries. The
 * registry's own exposition answers {@code GET /metrics} ({@link MetricsEndpoint}).
 */
final class Metrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer writeLatency;

    Metrics() {
        writeLatency = Timer.builder("comet.publish.write.latency")
                .description("From a publication to its first write on a socket of an event loop (sampled once per message per writer batch)")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** {@return the registry (what {@link CometServer#meterRegistry()} hands out)} */
    PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The transport's hook: publish→write latency. */
    DeliveryObserver deliveryObserver() {
        return nanos -> writeLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** CometQL's hook: statements by table, kind and result code, both doors. */
    QueryObserver queryObserver() {
        return (table, kind, code) -> Counter.builder("comet.cometql.queries")
                .description("CometQL statements (MySQL port and POST /cometql) by table, kind and result code (0 = ok)")
                .tags("table", table, "kind", kind, "code", Integer.toString(code)).register(registry).increment();
    }

    /** Reads the running parts: called once they exist. */
    void bind(CometEngine engine, CometWebServer web, CometQlServer cometql, AuthThrottle throttle) {
        Stats stats = engine.stats();
        gauge("comet.connections", "Open connections by transport", web, w -> w.webSocketCount(), "transport", "websocket");
        gauge("comet.connections", "Open connections by transport", web, w -> w.longPollSessionCount(), "transport", "longpoll");
        gauge("comet.connections", "Open connections by transport", stats, s -> s.backendOnline(), "transport", "cometql");
        gauge("comet.sessions", "Browser sessions (WebSocket and long-poll) of this node", stats, s -> s.online());
        gauge("comet.pipes", "Pipes with at least one subscriber on this node", stats, s -> s.pipes());
        gauge("comet.subscriptions", "Subscriptions (session x pipe) on this node", stats, s -> s.subscriptions());
        counter("comet.publications", "Messages published (all doors)", stats, s -> s.messages());
        counter("comet.deliveries", "Copies delivered to subscribers", stats, s -> s.deliveries());
        counter("comet.history.write.failures", "Publications refused because their history entry was not stored", stats,
                s -> s.historyWriteFailures());
        counter("comet.slow.consumer.closes", "WebSockets closed as slow consumers (high-water mark, timeout, budget shed)",
                web, w -> w.slowConsumerCloses());
        counter("comet.delivery.pushbacks", "Times a CometQL publisher waited for the delivery budget", web,
                w -> w.deliveryPushbacks());
        gauge("comet.delivery.pending.bytes", "Bytes accepted for delivery, not yet on the sockets", web,
                w -> w.deliveryPendingBytes());
        String authHelp = "Failed logins by door: cometql = CometQL password checks (MySQL port and POST /cometql), "
                + "browser = WebSocket/long-poll logins with a user id whose hash or JWT was refused";
        counter("comet.auth.failures", authHelp, throttle, t -> t.failures(), "door", "cometql");
        counter("comet.auth.failures", authHelp, stats, s -> s.browserAuthFailures(), "door", "browser");
        counter("comet.web.refused.connections", "Browser connections refused by the connection limits", web,
                w -> w.refusedConnections());
        cometql.queryObserver(queryObserver());
    }

    private <T> void gauge(String name, String help, T obj, ToDoubleFunction<T> f, String... tags) {
        Gauge.builder(name, obj, f).description(help).tags(tags).register(registry);
    }

    private <T> void counter(String name, String help, T obj, ToDoubleFunction<T> f, String... tags) {
        FunctionCounter.builder(name, obj, f).description(help).tags(tags).register(registry);
    }

    /** {@return the Prometheus text exposition, by the registry} */
    String scrape() {
        return registry.scrape();
    }

    /** {@return the registry as a plain {@link MeterRegistry}} */
    MeterRegistry meterRegistry() {
        return registry;
    }
}

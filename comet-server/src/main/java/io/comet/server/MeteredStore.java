package io.comet.server;

import io.comet.core.store.Store;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Times every asynchronous operation of a {@link Store} (a dynamic proxy over the SPI, so a new
 * SPI method is timed without a change here): {@code comet.store.operations{op, outcome}}, from
 * the call to the completion of its future — for JdbcStore writes, until the group commit made
 * them durable; a failed future counts as {@code outcome="failure"}. Other methods pass through.
 */
final class MeteredStore {

    private MeteredStore() {
    }

    /** {@return {@code store} timed into {@code registry}} */
    static Store wrap(Store store, MeterRegistry registry) {
        ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
        return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return objectMethod(store, proxy, method, args);
                    }
                    if (method.getReturnType() != CompletableFuture.class) {
                        return call(store, method, args);
                    }
                    long t0 = System.nanoTime();
                    CompletableFuture<?> f = (CompletableFuture<?>) call(store, method, args);
                    f.whenComplete((v, e) -> timer(timers, registry, method.getName(), e == null)
                            .record(System.nanoTime() - t0, TimeUnit.NANOSECONDS));
                    return f;
                });
    }

    private static Timer timer(ConcurrentHashMap<String, Timer> timers, MeterRegistry registry, String op, boolean ok) {
        String key = op + (ok ? "+" : "-");
        Timer t = timers.get(key);
        return t != null ? t : timers.computeIfAbsent(key, k -> Timer.builder("comet.store.operations")
                .description("Store operations from call to completion (writes: until durable), by outcome")
                .tags("op", op, "outcome", ok ? "success" : "failure").register(registry));
    }

    private static Object call(Store store, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(store, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static Object objectMethod(Store store, Object proxy, Method method, Object[] args) throws Throwable {
        return switch (method.getName()) {
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            case "toString" -> "metered " + store;
            default -> call(store, method, args);
        };
    }
}

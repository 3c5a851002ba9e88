package io.comet.cometql.protocol;

import io.comet.cometql.CometQlLimits;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Throttles password guessing, one instance for both doors of a server (the MySQL port and
 * {@code POST /cometql}; whoever builds both passes the same instance to both).
 *
 * <p>Per source (an IPv4 address; an IPv6 address by its /64, which one host can spray): a
 * token bucket of {@code burst} tokens refilled at {@code perSecond}. Every password check takes
 * a token <em>before</em> the password is compared, so a source gets at most {@code burst} +
 * {@code perSecond} × seconds checks however many connections it opens in parallel; without a
 * token the check waits for the next one ({@link #acquire} returns the wait), and an attempt that
 * would wait more than {@code maxWait} is refused unchecked. A successful check gives its token
 * back, so an application that logs in often from one address is never slowed while it uses the
 * right password.
 *
 * <p>Per account ({@code root}, a dev_id): a second bucket ({@code accountPerSecond}), taken only
 * by sources that failed a check in the last minute, so
 * guesses at one account from many addresses are bounded too, while the right password from a
 * source that never failed is not slowed by anybody else's guessing.
 *
 * <p>Bounded: at most {@code tableSize} sources and accounts are remembered. A source whose bucket
 * is full again and that has not failed is the same as no entry and is dropped first; when the
 * table is still full, new sources share one bucket ({@code *}), so spraying addresses buys no
 * more guesses than one address. Time comes from the injected clock (nanoseconds).
 */
public final class AuthThrottle {

    /** {@link #acquire} refused the attempt without a check. */
    public static final long REFUSED = -1;
    private static final String OVERFLOW = "*";
    /** How long a failed check marks its source (for the account bucket and the table's eviction). */
    static final long FAILURE_MEMORY_NANOS = 60_000_000_000L;

    private static final class Bucket {
        double tokens;
        long last;
        long failedAt;
        boolean failed;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.last = now;
        }
    }

    private final double burst;
    private final long intervalNanos;
    private final long accountIntervalNanos;
    private final long maxWaitNanos;
    private final int tableSize;
    private final LongSupplier clock;
    private final Map<String, Bucket> sources = new HashMap<>();
    private final Map<String, Bucket> accounts = new HashMap<>();
    private long refused;
    private long checks;

    /** A throttle with the rules of {@code limits}, reading time from {@code nanoClock}. */
    public AuthThrottle(CometQlLimits limits, LongSupplier nanoClock) {
        this(limits.loginsPerSecond(), limits.loginBurst(), limits.loginMaxWait().toNanos(),
                limits.accountLoginsPerSecond(), limits.throttleTableSize(), nanoClock);
    }

    /** A throttle with explicit rules (tests). */
    public AuthThrottle(int perSecond, int burst, long maxWaitNanos, int accountPerSecond, int tableSize,
                        LongSupplier nanoClock) {
        this.burst = burst;
        this.intervalNanos = 1_000_000_000L / perSecond;
        this.accountIntervalNanos = 1_000_000_000L / accountPerSecond;
        this.maxWaitNanos = maxWaitNanos;
        this.tableSize = tableSize;
        this.clock = nanoClock;
    }

    /**
     * Takes a token for one password check of {@code account} from {@code address}.
     *
     * @return nanoseconds to wait before checking (0 = now), or {@link #REFUSED}
     */
    public synchronized long acquire(String address, String account) {
        long now = clock.getAsLong();
        String source = sourceKey(address);
        Bucket s = bucket(sources, source, burst, now);
        refill(s, now, intervalNanos, burst);
        long wait = take(s, intervalNanos);
        boolean recentFailure = s.failed && now - s.failedAt < FAILURE_MEMORY_NANOS;
        Bucket a = null;
        if (recentFailure) {
            a = bucket(accounts, accountKey(account), 2 * burst, now);
            refill(a, now, accountIntervalNanos, 2 * burst);
            wait = Math.max(wait, take(a, accountIntervalNanos));
        }
        if (wait > maxWaitNanos) {
            s.tokens += 1;
            if (a != null) {
                a.tokens += 1;
            }
            refused++;
            return REFUSED;
        }
        checks++;
        return wait;
    }

    /** The check found the right password: its token goes back, the source's failures are forgotten. */
    public synchronized void success(String address, String account) {
        Bucket s = sources.get(sourceKey(address));
        if (s != null) {
            s.tokens = Math.min(burst, s.tokens + 1);
            s.failed = false;
        }
    }

    /** The check found a wrong password. */
    public synchronized void failure(String address, String account) {
        failures.increment();
        Bucket s = sources.get(sourceKey(address));
        if (s != null) {
            s.failed = true;
            s.failedAt = clock.getAsLong();
        }
    }

    private final java.util.concurrent.atomic.LongAdder failures = new java.util.concurrent.atomic.LongAdder();

    /** {@return failed password checks since the start, both doors together} */
    public long failures() {
        return failures.sum();
    }

    /** Sources and accounts remembered now (bounded by the table size, plus the shared bucket). */
    public synchronized int size() {
        return sources.size() + accounts.size();
    }

    /** Attempts refused unchecked since the start. */
    public synchronized long refused() {
        return refused;
    }

    /** Password checks admitted since the start. */
    public synchronized long checks() {
        return checks;
    }

    private static void refill(Bucket b, long now, long interval, double max) {
        if (now > b.last) {
            b.tokens = Math.min(max, b.tokens + (double) (now - b.last) / interval);
            b.last = now;
        }
    }

    /** Takes one token, into debt if needed; returns the wait until the debt is paid. */
    private static long take(Bucket b, long interval) {
        b.tokens -= 1;
        return b.tokens >= 0 ? 0 : (long) Math.ceil(-b.tokens * interval);
    }

    private Bucket bucket(Map<String, Bucket> table, String key, double full, long now) {
        Bucket b = table.get(key);
        if (b != null) {
            return b;
        }
        if (table.size() >= tableSize) {
            evictIdle(table, now, table == sources ? intervalNanos : accountIntervalNanos, full);
        }
        if (table.size() >= tableSize) {
            return table.computeIfAbsent(OVERFLOW, k -> new Bucket(full, now));
        }
        b = new Bucket(full, now);
        table.put(key, b);
        return b;
    }

    /** Drops entries that are the same as none: bucket refilled and no recent failure. */
    private void evictIdle(Map<String, Bucket> table, long now, long interval, double full) {
        for (Iterator<Map.Entry<String, Bucket>> it = table.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Bucket> e = it.next();
            Bucket b = e.getValue();
            refill(b, now, interval, full);
            boolean recentFailure = b.failed && now - b.failedAt < FAILURE_MEMORY_NANOS;
            if (b.tokens >= full && !recentFailure && !e.getKey().equals(OVERFLOW)) {
                it.remove();
            }
        }
    }

    /** The source an address counts as: IPv4 as is, IPv6 by its /64 prefix. */
    static String sourceKey(String address) {
        if (address == null || address.indexOf(':') < 0) {
            return String.valueOf(address);
        }
        try {
            byte[] b = InetAddress.getByName(address).getAddress();
            if (b.length != 16) {
                return address;
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                sb.append(Integer.toHexString(((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF))).append(':');
            }
            return sb.append(":/64").toString();
        } catch (UnknownHostException e) {
            return address; // a literal is never resolved; an odd string is its own source
        }
    }

    private static String accountKey(String account) {
        if (account == null) {
            return "";
        }
        return account.length() > 16 ? account.substring(0, 16) : account; // unknown names share their prefix
    }
}

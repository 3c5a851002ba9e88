package io.comet.bench;

/**
 * Sizes and durations of every scenario for one profile. {@code smoke} keeps CI fast (tiny
 * sizes, a few seconds per scenario), {@code quick} fits in under three minutes, {@code full}
 * uses the sizes (19,000 idle tabs, 10,000 fan-out subscribers, 10,000 pipes; the
 * {@code slow} scenario's healthy subscribers are the first fan-out size, its non-readers
 * {@code slowNonReaders}).
 */
record Profile(
        String name,
        int[] idleSizes, int idlePerProcess, int idleRounds,
        int[] fanoutSubscribers, double[][] fanoutRates, int fanoutPublishers, long stepMillis,
        int manyPipes, int manyPipesTabs, double manyPipesRate,
        int privateUsers, int privateSessions, double privateRate,
        int[] cqlConnections, long cqlMillis,
        int connectTabs, int connectInFlight,
        int soakTabs, int soakPipes, int soakPublishers, double soakRate, long soakMillis, long warmupMillis,
        int[] slowNonReaders) {

    static Profile of(String name) {
        switch (name) {
            case "smoke":
                return new Profile("smoke",
                        new int[] {60, 120}, 70, 2,
                        new int[] {40}, new double[][] {{100, 300}}, 2, 1500,
                        100, 50, 300,
                        10, 3, 100,
                        new int[] {1, 4}, 1000,
                        100, 50,
                        40, 4, 4, 100, 2000, 500,
                        new int[] {50});
            case "quick":
                return new Profile("quick",
                        new int[] {1000, 2500, 5000}, 2500, 2,
                        new int[] {1000}, new double[][] {{100, 300, 0}}, 4, 5000,
                        2000, 500, 2000,
                        200, 3, 500,
                        new int[] {1, 16}, 4000,
                        3000, 1000,
                        1000, 10, 16, 300, 15_000, 2000,
                        new int[] {200, 1000});
            case "full":
                return new Profile("full",
                        new int[] {5000, 10000, 15000, 19000}, 6500, 5,
                        new int[] {1000, 10000}, new double[][] {{100, 300, 600, 0}, {10, 30, 60, 100, 0}}, 4, 10_000,
                        10_000, 2000, 5000,
                        2000, 4, 2000,
                        new int[] {1, 4, 16}, 10_000,
                        15_000, 2000,
                        1000, 10, 16, 300, 60_000, 3000,
                        new int[] {200, 2000});
            default:
                throw new IllegalArgumentException("profile: " + name + " (expected: smoke, quick, full)");
        }
    }

    Profile withSoakMillis(long millis) {
        return new Profile(name, idleSizes, idlePerProcess, idleRounds, fanoutSubscribers, fanoutRates,
                fanoutPublishers, stepMillis, manyPipes, manyPipesTabs, manyPipesRate, privateUsers,
                privateSessions, privateRate, cqlConnections, cqlMillis, connectTabs, connectInFlight,
                soakTabs, soakPipes, soakPublishers, soakRate, millis, warmupMillis, slowNonReaders);
    }
}

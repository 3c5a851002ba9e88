package io.comet.test.client;

/** The request paths the original browser clients open (docs/client-protocol.md §1.3). */
public final class ClientPaths {

    private ClientPaths() {
    }

    /**
     * The path the v4 client opens: {@code {prefix}/ws/sesion=..&myid=..&devid=..&v=..&uuid=..&api=js}.
     *
     * @param prefix  a path prefix (e.g. a servlet context path), {@code ""} for none
     * @param key     the session key ({@code sesion}), {@code "undefined"} as the anonymous client sends
     * @param userId  the user id ({@code myid}), {@code "undefined"} for anonymous
     * @param devId   the namespace ({@code devid})
     * @param version the client version ({@code v}), e.g. {@code 4.08}
     * @param uuid    the 32-character connection uuid
     * @return the path with its query-less parameters
     */
    public static String of(String prefix, String key, Object userId, int devId, String version, String uuid) {
        return prefix + "/ws/sesion=" + key + "&myid=" + userId + "&devid=" + devId + "&v=" + version + "&uuid=" + uuid
                + "&api=js";
    }

    /**
     * The path of a v4.08 client in namespace 0 (see {@link #of}).
     *
     * @param userId the user id, {@code 0} or {@code "undefined"} for anonymous
     * @param key    the session key ({@code ""} when none)
     * @param uuid   the 32-character connection uuid
     * @return the path
     */
    public static String v4(Object userId, String key, String uuid) {
        return of("", key, userId, 0, "4.08", uuid);
    }
}

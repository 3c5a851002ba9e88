package io.comet.core;

import java.util.Objects;

/**
 * What a browser presents when it connects (client-protocol.md §1.3): dev_id namespace,
 * requested user id, credential ({@code sesion}: stored hash or JWT), browser uuid, client API
 * version, and the request headers that {@code users_in_pipes} reports.
 *
 * @param devId      namespace, already validated by the transport (0 when invalid)
 * @param userId     requested user id, 0 = anonymous
 * @param credential hash or JWT, {@code null} when absent
 * @param uuid       browser id, at most 32 chars, may be empty
 * @param apiMajor   client API major version (4 = current, &lt; 4 legacy format)
 * @param userAgent  {@code User-Agent} header or empty
 * @param ip         remote address or empty
 * @param origin     {@code Origin} header or empty
 * @param language   {@code Accept-Language} header or empty
 */
public record ConnectRequest(int devId, long userId, String credential, String uuid, int apiMajor,
                             String userAgent, String ip, String origin, String language) {

    /** Normalises {@code null} strings to empty and checks ranges. */
    public ConnectRequest {
        if (devId < 0) {
            throw new IllegalArgumentException("devId: " + devId + " (expected: >= 0)");
        }
        if (userId < 0) {
            throw new IllegalArgumentException("userId: " + userId + " (expected: >= 0)");
        }
        uuid = Objects.requireNonNullElse(uuid, "");
        userAgent = Objects.requireNonNullElse(userAgent, "");
        ip = Objects.requireNonNullElse(ip, "");
        origin = Objects.requireNonNullElse(origin, "");
        language = Objects.requireNonNullElse(language, "");
    }

    /** An anonymous v4 client in namespace {@code devId}. */
    public static ConnectRequest anonymous(int devId, String uuid) {
        return new ConnectRequest(devId, 0, null, uuid, 4, "", "", "", "");
    }

    /** A v4 client of user {@code userId} presenting {@code credential}. */
    public static ConnectRequest user(int devId, long userId, String credential, String uuid) {
        return new ConnectRequest(devId, userId, credential, uuid, 4, "", "", "", "");
    }

    /** A copy with the given request headers. */
    public ConnectRequest withHeaders(String userAgent, String ip, String origin, String language) {
        return new ConnectRequest(devId, userId, credential, uuid, apiMajor, userAgent, ip, origin, language);
    }

    /** A copy with the given client API major version. */
    public ConnectRequest withApiMajor(int major) {
        return new ConnectRequest(devId, userId, credential, uuid, major, userAgent, ip, origin, language);
    }

    @Override
    public String toString() {
        return "ConnectRequest{devId=" + devId + ", userId=" + userId + ", credential="
                + (credential == null ? "none" : "****") + ", uuid=" + uuid + ", apiMajor=" + apiMajor + '}';
    }
}

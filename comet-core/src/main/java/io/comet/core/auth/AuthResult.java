package io.comet.core.auth;

/**
 * The outcome of authenticating a connection, whatever the credential (stored hash or JWT).
 *
 * @param userId the authenticated user, 0 when anonymous or refused
 * @param echo   the credential the client may keep ({@code serverInfo.data}), empty when none
 */
public record AuthResult(long userId, String echo) {

    /** Anonymous, or a refused credential (not an error: the connection stays open, §3.5). */
    public static final AuthResult ANONYMOUS = new AuthResult(0, "");

    /** True when a user authenticated. */
    public boolean authorized() {
        return userId > 0;
    }
}

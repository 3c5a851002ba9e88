package io.comet.core.broker;

/**
 * One subscriber of a pipe as every node can see it ({@code users_in_pipes}, {@code track_pipe_users}).
 *
 * @param userId    authenticated user id, 0 when anonymous
 * @param uuid      the browser's uuid
 * @param ip        client address
 * @param userAgent {@code User-Agent} header
 * @param language  {@code Accept-Language} header
 * @param origin    {@code Origin} header
 */
public record Member(long userId, String uuid, String ip, String userAgent, String language, String origin) {
}

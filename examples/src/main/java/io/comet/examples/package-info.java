/**
 * Example applications on Comet, the Java twins of the CppComet documentation's examples
 * ({@code ../../../../../../../docs/cppcomet-docs-ru.txt}): the public chat on a {@code web_} pipe with a
 * delivery report, the authenticated chat whose backend ({@link io.comet.examples.AppBackend})
 * inserts {@code users_auth} and publishes join/leave events through CometQL over JDBC, the live
 * "who is online" list ({@code track_online}, {@code users_in_pipes}) and private notifications
 * ({@code users_messages}, with the offline queue). {@link io.comet.examples.Examples} starts
 * each one with an embedded Comet server ({@link io.comet.server.CometServer}).
 *
 * <p>The pages are under {@code src/main/resources/io/comet/examples/web/}; they render user
 * text with {@code textContent} only.
 */
package io.comet.examples;

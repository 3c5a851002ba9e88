/** Presence: users online ({@code user_status_N}, {@code users_time}) and {@code track_*} events. */
package io.comet.core.presence;

package io.comet.core.store;

/**
 * A private message waiting for its user to connect (cometql.md §3.7).
 *
 * @param id    unique id (UUID text)
 * @param time  unix seconds when queued
 * @param event event name, may be empty
 * @param text  message body
 */
public record QueuedMessage(String id, long time, String event, String text) {
}

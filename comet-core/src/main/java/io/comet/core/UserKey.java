package io.comet.core;

/** A user id within a dev_id namespace. */
public record UserKey(int devId, long userId) {
}

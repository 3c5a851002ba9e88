package io.comet.core;

/** A user id within a dev_id namespace. */
record UserKey(int devId, long userId) {
}

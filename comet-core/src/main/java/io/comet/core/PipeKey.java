package io.comet.core;

/** A pipe name within a dev_id namespace. */
record PipeKey(int devId, String name) {
}

package io.comet.core;

/** A pipe name within a dev_id namespace (a map key). */
public record PipeKey(int devId, String name) {
}

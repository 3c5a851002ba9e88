package io.comet.broker.redis;

import io.comet.core.UserKey;

/**
 * Every key and channel name of the deployment (docs/redis.md, "Keys and channels"). A pipe's
 * keys share the hash tag {@code {dev:pipe}} and a user's the tag {@code {dev:user}}, so each
 * per-pipe or per-user script touches one Redis Cluster slot.
 */
final class RedisKeys {

    private final String p;

    RedisKeys(String prefix) {
        this.p = prefix;
    }

    private static String pipeTag(int devId, String pipe) {
        return "{" + devId + ":" + pipe + "}";
    }

    /** The pipe's fan-out channel (subscribed by a node while it has a local subscriber). */
    String pipeChannel(int devId, String pipe) {
        return p + ".p." + pipeTag(devId, pipe);
    }

    /** Prefix of every pipe channel. */
    String pipeChannelPrefix() {
        return p + ".p.{";
    }

    /** HASH {@code e} epoch, {@code s} last offset. */
    String meta(int devId, String pipe) {
        return p + ".m." + pipeTag(devId, pipe);
    }

    /** STREAM of the pipe's history, entry id {@code <offset>-0}, field {@code b} the envelope. */
    String stream(int devId, String pipe) {
        return p + ".h." + pipeTag(devId, pipe);
    }

    /** HASH {@code e}, {@code s}: what publication {@code id} got (idempotency). */
    String applied(int devId, String pipe, String id) {
        return p + ".r." + pipeTag(devId, pipe) + "." + id;
    }

    /** HASH node → subscribers of the pipe on that node. */
    String counts(int devId, String pipe) {
        return p + ".c." + pipeTag(devId, pipe);
    }

    /** HASH session id → member (JSON) of a track_* pipe on one node. */
    String members(int devId, String pipe, String node) {
        return p + ".pm." + pipeTag(devId, pipe) + "." + node;
    }

    /** HASH node → 1 while the user has a session on that node. */
    String userNodes(int devId, long userId) {
        return p + ".uc.{" + devId + ":" + userId + "}";
    }

    /** The user of a {@link #userNodes} key. */
    UserKey userOf(String userNodesKey) {
        int open = userNodesKey.lastIndexOf('{');
        int colon = userNodesKey.indexOf(':', open);
        int close = userNodesKey.indexOf('}', colon);
        return new UserKey(Integer.parseInt(userNodesKey.substring(open + 1, colon)),
                Long.parseLong(userNodesKey.substring(colon + 1, close)));
    }

    /** ZSET node → last heartbeat (Redis time, ms). */
    String nodes() {
        return p + ".nodes";
    }

    /** SET of the user keys ({@link #userNodes}) a node wrote into. */
    String nodeUsers(String node) {
        return p + ".nu." + node;
    }

    /** SET of the count keys ({@link #counts}) a node wrote into. */
    String nodeCounts(String node) {
        return p + ".nc." + node;
    }

    /** SET of the member keys ({@link #members}) of a node. */
    String nodeMembers(String node) {
        return p + ".nm." + node;
    }

    /** Marker left by the node that removed a lost node's entries (so the node, if alive, re-registers them loudly). */
    String reaped(String node) {
        return p + ".reaped." + node;
    }

    /** Control channel every node subscribes (kick, private messages, surveys). */
    String control() {
        return p + ".ctl";
    }

    /** A node's own channel (survey answers, liveness probes). */
    String nodeChannel(String node) {
        return p + ".n." + node;
    }
}

package io.comet.core;

import java.util.Arrays;

/**
 * The subscribers of one pipe: a copy-on-write array, so publishes (the hot path) read a stable
 * snapshot without locking while subscribe/unsubscribe copy under the pipe's lock
 * (ARCHITECTURE.md rule 7). A pipe emptied and removed from the registry is marked dead, so a
 * racing subscriber retries on a fresh instance instead of joining an unreachable one.
 */
final class Pipe {

    private static final Session[] EMPTY = new Session[0];

    final PipeKey key;
    private volatile Session[] subscribers = EMPTY;
    private boolean dead;

    Pipe(PipeKey key) {
        this.key = key;
    }

    /** Stable snapshot of the current subscribers. */
    Session[] subscribers() {
        return subscribers;
    }

    int size() {
        return subscribers.length;
    }

    /** Adds {@code s}; returns the subscribers before the add, or {@code null} if this pipe is dead. */
    synchronized Session[] add(Session s) {
        if (dead) {
            return null;
        }
        Session[] old = subscribers;
        for (Session x : old) {
            if (x == s) {
                return old;
            }
        }
        Session[] next = Arrays.copyOf(old, old.length + 1);
        next[old.length] = s;
        subscribers = next;
        return old;
    }

    /** Removes {@code s}; returns the subscribers after removal, or {@code null} if it was absent. */
    synchronized Session[] remove(Session s) {
        Session[] old = subscribers;
        int i = 0;
        while (i < old.length && old[i] != s) {
            i++;
        }
        if (i == old.length) {
            return null;
        }
        Session[] next = new Session[old.length - 1];
        System.arraycopy(old, 0, next, 0, i);
        System.arraycopy(old, i + 1, next, i, old.length - i - 1);
        subscribers = next.length == 0 ? EMPTY : next;
        return subscribers;
    }

    /** Marks the pipe dead if it is empty; returns true if it did. */
    synchronized boolean killIfEmpty() {
        if (subscribers.length == 0) {
            dead = true;
        }
        return dead;
    }
}

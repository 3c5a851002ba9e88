package io.comet.core.pipe;

import io.comet.core.PipeKey;
import io.comet.core.Session;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The subscribers of one pipe, in subscription order. Publishes (the hot path) read an immutable
 * {@link Members} snapshot without locking (docs/architecture.md rule 8); subscribe and unsubscribe
 * change it under the pipe's lock at a cost that does not grow with the pipe:
 * <ul>
 * <li>members live in fixed-size chunks; a subscribe appends in place after the end of every
 *     snapshot that shares the chunk (readers never look past their own end) and publishes a new
 *     snapshot; a new chunk costs a copy of the chunk table only;</li>
 * <li>an unsubscribe copies the one chunk holding the member with its slot emptied; the empty
 *     slots are squeezed out once they outnumber the members (amortized O(1));</li>
 * <li>from {@value #INDEX_FROM} members on, an identity index finds a member's slot without a
 *     scan.</li>
 * </ul>
 * A plain copy-on-write array copied the whole pipe per subscribe: 10,000 subscribers returning
 * after a network blip copied 10,000 × 40 KB, and a million-member pipe would copy 4 MB per join.
 * A pipe emptied and removed from the registry is marked dead, so a racing subscriber retries on
 * a fresh instance instead of joining an unreachable one.
 */
final class Pipe {

    /** Members per chunk. */
    static final int DEFAULT_CHUNK = 1024;
    /** Members from which the slot index is kept (below, a scan of the snapshot is cheaper). */
    static final int INDEX_FROM = 32;

    /** An immutable view of a pipe's members; empty slots (unsubscribed members) are skipped. */
    static final class Members {
        static final Members EMPTY = new Members(new Session[0][], 0, 0, 1);

        private final Session[][] chunks;
        /** Slots in use, empty ones included. */
        private final int slots;
        private final int count;
        private final int chunk;

        Members(Session[][] chunks, int slots, int count, int chunk) {
            this.chunks = chunks;
            this.slots = slots;
            this.count = count;
            this.chunk = chunk;
        }

        /** Members (empty slots not counted). */
        int size() {
            return count;
        }

        /** Chunk {@code i} of this snapshot (tests check what a change shares with the snapshot before it). */
        Session[] chunk(int i) {
            return chunks[i];
        }

        int chunks() {
            return chunks.length;
        }

        Session at(int slot) {
            return chunks[slot / chunk][slot % chunk];
        }

        /** Calls {@code visitor} for every member, in subscription order; returns how many it accepted. */
        int forEach(Visitor visitor) {
            int n = 0;
            int left = slots;
            for (Session[] c : chunks) {
                int end = Math.min(left, c.length);
                for (int i = 0; i < end; i++) {
                    Session s = c[i];
                    if (s != null && visitor.visit(s)) {
                        n++;
                    }
                }
                left -= end;
                if (left <= 0) {
                    break;
                }
            }
            return n;
        }

        /** The members in subscription order, as an unmodifiable list of its own. */
        List<Session> toList() {
            List<Session> out = new ArrayList<>(count);
            forEach(out::add);
            return Collections.unmodifiableList(out);
        }
    }

    /** What {@link Members#forEach} calls; returns true to count the member. */
    interface Visitor {
        boolean visit(Session s);
    }

    final PipeKey key;
    private final int chunk;
    private volatile Members members = Members.EMPTY;
    // under the lock
    private boolean dead;
    private SlotIndex index;

    Pipe(PipeKey key) {
        this(key, DEFAULT_CHUNK);
    }

    Pipe(PipeKey key, int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk: " + chunk);
        }
        this.key = key;
        this.chunk = chunk;
    }

    /** Stable snapshot of the current members. */
    Members members() {
        return members;
    }

    int size() {
        return members.count;
    }

    /**
     * Adds {@code s}; returns the members before the add (unchanged if {@code s} was a member
     * already), or {@code null} if this pipe is dead.
     */
    synchronized Members add(Session s) {
        if (dead) {
            return null;
        }
        Members old = members;
        if (slotOf(old, s) >= 0) {
            return old;
        }
        int slot = old.slots;
        Session[][] chunks = old.chunks;
        if (slot == chunks.length * chunk) {
            chunks = Arrays.copyOf(chunks, chunks.length + 1);
            chunks[chunks.length - 1] = new Session[chunk];
        }
        chunks[slot / chunk][slot % chunk] = s; // past the end of every snapshot sharing this chunk
        members = new Members(chunks, slot + 1, old.count + 1, chunk);
        if (index != null) {
            index.put(s, slot);
        } else if (old.count + 1 >= INDEX_FROM) {
            rebuildIndex(members);
        }
        return old;
    }

    /** Removes {@code s}; returns the members after removal, or {@code null} if it was absent. */
    synchronized Members remove(Session s) {
        Members old = members;
        int slot = slotOf(old, s);
        if (slot < 0) {
            return null;
        }
        int count = old.count - 1;
        Members next;
        if (count == 0) {
            next = Members.EMPTY;
            index = null;
        } else if (old.slots - count > Math.max(16, count)) {
            next = compact(old, slot); // more empty slots than members: squeeze them out
        } else {
            Session[][] chunks = old.chunks.clone();
            int c = slot / chunk;
            chunks[c] = chunks[c].clone(); // readers of the old snapshot keep the old chunk
            chunks[c][slot % chunk] = null;
            int slots = old.slots;
            if (slot == slots - 1) {
                slots--; // an empty tail slot is not kept (the copy is private to the new snapshot)
            }
            next = new Members(chunks, slots, count, chunk);
            if (index != null) {
                index.remove(s);
            }
        }
        members = next;
        if (index != null && count < INDEX_FROM / 2) {
            index = null;
        }
        return next;
    }

    /** Marks the pipe dead if it is empty; returns true if it did. */
    synchronized boolean killIfEmpty() {
        if (members.count == 0) {
            dead = true;
        }
        return dead;
    }

    private int slotOf(Members m, Session s) {
        if (index != null) {
            return index.get(s);
        }
        for (int i = 0; i < m.slots; i++) {
            if (m.at(i) == s) {
                return i;
            }
        }
        return -1;
    }

    private Members compact(Members old, int without) {
        int count = old.count - 1;
        int n = (count + chunk - 1) / chunk;
        Session[][] chunks = new Session[n][];
        for (int i = 0; i < n; i++) {
            chunks[i] = new Session[chunk];
        }
        int at = 0;
        for (int i = 0; i < old.slots; i++) {
            Session x = old.at(i);
            if (x != null && i != without) {
                chunks[at / chunk][at % chunk] = x;
                at++;
            }
        }
        Members m = new Members(chunks, at, count, chunk);
        index = null;
        if (count >= INDEX_FROM / 2) {
            rebuildIndex(m);
        }
        return m;
    }

    private void rebuildIndex(Members m) {
        SlotIndex ix = new SlotIndex(m.count);
        for (int i = 0; i < m.slots; i++) {
            Session x = m.at(i);
            if (x != null) {
                ix.put(x, i);
            }
        }
        index = ix;
    }

    /** Session → slot, open addressing with linear probing (identity keys, no boxing). */
    static final class SlotIndex {
        private Session[] keys;
        private int[] slots;
        private int size;

        SlotIndex(int expected) {
            int cap = Integer.highestOneBit(Math.max(8, expected * 2 - 1)) << 1;
            keys = new Session[cap];
            slots = new int[cap];
        }

        private static int hash(Session s, int mask) {
            long h = s.id() * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32)) & mask;
        }

        int get(Session s) {
            int mask = keys.length - 1;
            for (int i = hash(s, mask); ; i = (i + 1) & mask) {
                Session k = keys[i];
                if (k == null) {
                    return -1;
                }
                if (k == s) {
                    return slots[i];
                }
            }
        }

        void put(Session s, int slot) {
            if ((size + 1) * 2 > keys.length) {
                grow();
            }
            int mask = keys.length - 1;
            int i = hash(s, mask);
            while (keys[i] != null && keys[i] != s) {
                i = (i + 1) & mask;
            }
            if (keys[i] == null) {
                size++;
            }
            keys[i] = s;
            slots[i] = slot;
        }

        void remove(Session s) {
            int mask = keys.length - 1;
            int i = hash(s, mask);
            while (keys[i] != s) {
                if (keys[i] == null) {
                    return;
                }
                i = (i + 1) & mask;
            }
            // backward-shift deletion: move later entries of the probe run into the hole
            int hole = i;
            for (int j = (hole + 1) & mask; keys[j] != null; j = (j + 1) & mask) {
                int home = hash(keys[j], mask);
                if (((j - home) & mask) >= ((j - hole) & mask)) {
                    keys[hole] = keys[j];
                    slots[hole] = slots[j];
                    hole = j;
                }
            }
            keys[hole] = null;
            size--;
        }

        int size() {
            return size;
        }

        private void grow() {
            Session[] k = keys;
            int[] v = slots;
            keys = new Session[k.length * 2];
            slots = new int[k.length * 2];
            size = 0;
            for (int i = 0; i < k.length; i++) {
                if (k[i] != null) {
                    put(k[i], v[i]);
                }
            }
        }
    }
}

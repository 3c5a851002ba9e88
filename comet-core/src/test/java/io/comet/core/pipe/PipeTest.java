package io.comet.core.pipe;

import io.comet.core.*;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The subscriber set of a pipe: subscription order, snapshots that never change once handed
 * out, and changes whose cost does not grow with the pipe (docs/architecture.md rule 8).
 */
class PipeTest {

    private static Session session(long id) {
        return new Session(id, new ConnectRequest(0, 0, "", "u" + id, 4, "", "", "", ""), 0, new Recorder(), 0, s -> { });
    }

    private static List<Session> sessions(int n) {
        List<Session> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(session(i + 1));
        }
        return out;
    }

    // random subscribe/unsubscribe against a LinkedHashSet; every snapshot handed out stays as it was
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 64, 1024})
    void behavesLikeAnOrderedSetAndSnapshotsNeverChange(int chunk) {
        Random r = new Random(chunk);
        List<Session> all = sessions(300);
        Pipe pipe = new Pipe(new PipeKey(0, "p"), chunk);
        LinkedHashSet<Session> model = new LinkedHashSet<>();
        List<Pipe.Members> kept = new ArrayList<>();
        List<List<Session>> keptLists = new ArrayList<>();
        for (int op = 0; op < 20_000; op++) {
            Session s = all.get(r.nextInt(model.size() < 40 ? 60 : all.size()));
            if (r.nextInt(100) < (model.size() > 200 ? 30 : 55)) {
                Pipe.Members before = pipe.members();
                Pipe.Members returned = pipe.add(s);
                assertThat(returned).isSameAs(before);
                boolean isNew = model.add(s);
                assertThat(pipe.members() == before).isEqualTo(!isNew);
            } else {
                Pipe.Members after = pipe.remove(s);
                boolean was = model.remove(s);
                assertThat(after == null).isEqualTo(!was);
                if (was) {
                    assertThat(after).isSameAs(pipe.members());
                }
            }
            assertThat(pipe.size()).isEqualTo(model.size());
            assertThat(pipe.members().toList()).containsExactlyElementsOf(model);
            if (op % 97 == 0) {
                kept.add(pipe.members());
                keptLists.add(List.copyOf(model));
            }
        }
        for (int i = 0; i < kept.size(); i++) {
            assertThat(kept.get(i).toList()).as("snapshot %d after later changes", i).isEqualTo(keptLists.get(i));
            assertThat(kept.get(i).size()).isEqualTo(keptLists.get(i).size());
        }
    }

    // the point of the structure: a change copies one chunk (and the chunk table), never the pipe
    @Test
    void aChangeToABigPipeCopiesOneChunkAtMost() {
        int chunk = 1024;
        Pipe pipe = new Pipe(new PipeKey(0, "big"), chunk);
        List<Session> all = sessions(10 * chunk + 10);
        for (Session s : all) {
            pipe.add(s);
        }
        Pipe.Members full = pipe.members();
        assertThat(full.chunks()).isEqualTo(11);

        Session extra = session(1_000_000);
        pipe.add(extra);
        Pipe.Members added = pipe.members();
        for (int i = 0; i < full.chunks(); i++) {
            assertThat(added.chunk(i)).as("chunk %d shared by the add", i).isSameAs(full.chunk(i));
        }

        pipe.remove(all.get(3 * chunk + 5)); // in chunk 3
        Pipe.Members removed = pipe.members();
        for (int i = 0; i < removed.chunks(); i++) {
            if (i == 3) {
                assertThat(removed.chunk(i)).isNotSameAs(added.chunk(i));
            } else {
                assertThat(removed.chunk(i)).as("chunk %d shared by the remove", i).isSameAs(added.chunk(i));
            }
        }
        assertThat(added.toList()).contains(all.get(3 * chunk + 5)).hasSize(all.size() + 1);
        assertThat(removed.toList()).doesNotContain(all.get(3 * chunk + 5)).hasSize(all.size());
    }

    // empty slots are squeezed out once they outnumber the members, keeping the order
    @Test
    void emptySlotsAreCompactedInOrder() {
        Pipe pipe = new Pipe(new PipeKey(0, "c"), 8);
        List<Session> all = sessions(100);
        all.forEach(pipe::add);
        for (int i = 0; i < 90; i++) {
            pipe.remove(all.get(i));
        }
        assertThat(pipe.members().toList()).containsExactlyElementsOf(all.subList(90, 100));
        assertThat(pipe.members().chunks()).as("compacted").isLessThanOrEqualTo(4);
    }

    // readers iterating snapshots while another thread churns never see a member twice or a torn snapshot
    @Test
    void concurrentReadersSeeConsistentSnapshots() throws Exception {
        Pipe pipe = new Pipe(new PipeKey(0, "r"), 16);
        List<Session> all = sessions(500);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> problem = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                Pipe.Members m = pipe.members();
                List<Session> a = m.toList();
                List<Session> b = m.toList();
                if (!a.equals(b) || a.size() != m.size() || new LinkedHashSet<>(a).size() != a.size()) {
                    problem.set("torn snapshot: " + a.size() + " / " + b.size() + " / " + m.size());
                }
            }
        });
        reader.start();
        Random r = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            Session s = all.get(r.nextInt(all.size()));
            if (r.nextBoolean()) {
                pipe.add(s);
            } else {
                pipe.remove(s);
            }
        }
        stop.set(true);
        reader.join(10_000);
        assertThat(problem.get()).isNull();
    }

    @Test
    void slotIndexMatchesAMap() {
        Random r = new Random(3);
        List<Session> all = sessions(2_000);
        Pipe.SlotIndex ix = new Pipe.SlotIndex(4);
        Map<Session, Integer> model = new HashMap<>();
        for (int op = 0; op < 100_000; op++) {
            Session s = all.get(r.nextInt(all.size()));
            if (r.nextInt(3) > 0) {
                int v = r.nextInt(1_000_000);
                ix.put(s, v);
                model.put(s, v);
            } else {
                ix.remove(s);
                model.remove(s);
            }
            if (op % 1000 == 0) {
                for (Session x : all) {
                    assertThat(ix.get(x)).isEqualTo(model.getOrDefault(x, -1));
                }
                assertThat(ix.size()).isEqualTo(model.size());
            }
        }
    }

    /** An outbound that accepts everything. */
    static final class Recorder implements Outbound {
        @Override
        public boolean send(Message message) {
            return true;
        }

        @Override
        public void close() {
        }
    }
}

package io.comet.core.broker;

import io.comet.core.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link BrokerNode} that records what its broker delivers to it (for broker contract tests). */
public final class RecordingNode implements BrokerNode {

    private final Map<String, List<Message>> byPipe = new ConcurrentHashMap<>();
    private final Map<Long, List<Message>> privates = new ConcurrentHashMap<>();
    private final Map<String, List<Member>> members = new ConcurrentHashMap<>();
    private final Map<Long, Integer> sessionsOfUser = new ConcurrentHashMap<>();
    private final AtomicInteger kicks = new AtomicInteger();
    private volatile boolean listening = true;

    @Override
    public int deliver(int devId, String pipe, Message message, long exceptSessionId) {
        if (!listening) {
            return 0;
        }
        byPipe.computeIfAbsent(pipe, k -> new CopyOnWriteArrayList<>()).add(message);
        return 1;
    }

    @Override
    public int deliverPrivate(int devId, long userId, Message message) {
        if (!sessionsOfUser.containsKey(userId)) {
            return 0;
        }
        privates.computeIfAbsent(userId, k -> new CopyOnWriteArrayList<>()).add(message);
        return sessionsOfUser.get(userId);
    }

    @Override
    public int kick(int devId, long userId) {
        Integer n = sessionsOfUser.remove(userId);
        kicks.addAndGet(n == null ? 0 : n);
        return n == null ? 0 : n;
    }

    @Override
    public int localSubscribers(int devId, String pipe) {
        return members.getOrDefault(pipe, List.of()).size();
    }

    @Override
    public List<Member> localMembers(int devId, String pipe) {
        return List.copyOf(members.getOrDefault(pipe, List.of()));
    }

    /** Pretends {@code m} is subscribed to {@code pipe} on this node. */
    public void addMember(String pipe, Member m) {
        members.computeIfAbsent(pipe, k -> new CopyOnWriteArrayList<>()).add(m);
    }

    /** Pretends the user has {@code n} private receivers on this node. */
    public void userSessions(long userId, int n) {
        sessionsOfUser.put(userId, n);
    }

    /** Stops or resumes taking pipe deliveries (a subscriber churning). */
    public void listening(boolean v) {
        listening = v;
    }

    /** What was delivered on {@code pipe}, in order. */
    public List<Message> received(String pipe) {
        return new ArrayList<>(byPipe.getOrDefault(pipe, List.of()));
    }

    /** Private messages delivered to the user here. */
    public List<Message> privates(long userId) {
        return new ArrayList<>(privates.getOrDefault(userId, List.of()));
    }

    /** Sessions closed by kicks. */
    public int kicked() {
        return kicks.get();
    }
}

package io.comet.core.store.jdbc;

import java.sql.Connection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.h2.api.Trigger;

/** An H2 trigger that records the name of every thread on which H2 executed SQL against a table. */
public class ThreadRecordingTrigger implements Trigger {

    static final Set<String> THREADS = ConcurrentHashMap.newKeySet();

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) {
        THREADS.add(Thread.currentThread().getName());
    }
}

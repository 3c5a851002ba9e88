package io.comet.core;

/**
 * Immutable engine settings: limits and behaviour switches. Every limit has a sane default
 * (client-protocol.md §4.11, cometql.md §5/§7) and is validated in {@link Builder#build()}.
 *
 * <pre>{@code
 * CometConfig cfg = CometConfig.builder().password("secret").maxSubscriptionsPerSession(64).build();
 * }</pre>
 */
public final class CometConfig {

    public static final String DEFAULT_SERVER_NAME = "Comet 0.1 (CppComet compatible)";
    public static final int DEFAULT_DEV_INDEX_SIZE = 100_000;
    public static final int DEFAULT_MAX_NAME_LENGTH = 64;
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 9_000;
    public static final int DEFAULT_MAX_SUBSCRIPTIONS_PER_SESSION = 32;
    public static final int DEFAULT_MAX_SESSIONS_PER_USER = 16;
    public static final int DEFAULT_MAX_QUEUED_MESSAGES_PER_USER = 100;
    public static final int DEFAULT_QUEUE_TTL_SECONDS = 120;
    public static final int DEFAULT_TRUST_HISTORY_TTL_SECONDS = 120;
    public static final int DEFAULT_MAX_HISTORY_LENGTH = 1000;
    public static final int DEFAULT_HISTORY_REPLAY_LIMIT = 99;

    /** The defaults. */
    public static final CometConfig DEFAULT = builder().build();

    private final String password;
    private final String serverName;
    private final int devIndexSize;
    private final int maxPipeNameLength;
    private final int maxEventNameLength;
    private final int maxMessageBytes;
    private final int maxSubscriptionsPerSession;
    private final int maxSessionsPerUser;
    private final int maxQueuedMessagesPerUser;
    private final int queueTtlSeconds;
    private final int trustHistoryTtlSeconds;
    private final int maxHistoryLength;
    private final int historyReplayLimit;
    private final boolean sendUserOnlineEvents;
    private final boolean sendUserOfflineEvents;
    private final boolean saveUsersLastOnlineTime;
    private final boolean pipeCountAsObject;
    private final boolean echoAuthHash;

    private CometConfig(Builder b) {
        this.password = b.password;
        this.serverName = b.serverName;
        this.devIndexSize = b.devIndexSize;
        this.maxPipeNameLength = b.maxPipeNameLength;
        this.maxEventNameLength = b.maxEventNameLength;
        this.maxMessageBytes = b.maxMessageBytes;
        this.maxSubscriptionsPerSession = b.maxSubscriptionsPerSession;
        this.maxSessionsPerUser = b.maxSessionsPerUser;
        this.maxQueuedMessagesPerUser = b.maxQueuedMessagesPerUser;
        this.queueTtlSeconds = b.queueTtlSeconds;
        this.trustHistoryTtlSeconds = b.trustHistoryTtlSeconds;
        this.maxHistoryLength = b.maxHistoryLength;
        this.historyReplayLimit = b.historyReplayLimit;
        this.sendUserOnlineEvents = b.sendUserOnlineEvents;
        this.sendUserOfflineEvents = b.sendUserOfflineEvents;
        this.saveUsersLastOnlineTime = b.saveUsersLastOnlineTime;
        this.pipeCountAsObject = b.pipeCountAsObject;
        this.echoAuthHash = b.echoAuthHash;
    }

    /** A new builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised from this config. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.password = password;
        b.serverName = serverName;
        b.devIndexSize = devIndexSize;
        b.maxPipeNameLength = maxPipeNameLength;
        b.maxEventNameLength = maxEventNameLength;
        b.maxMessageBytes = maxMessageBytes;
        b.maxSubscriptionsPerSession = maxSubscriptionsPerSession;
        b.maxSessionsPerUser = maxSessionsPerUser;
        b.maxQueuedMessagesPerUser = maxQueuedMessagesPerUser;
        b.queueTtlSeconds = queueTtlSeconds;
        b.trustHistoryTtlSeconds = trustHistoryTtlSeconds;
        b.maxHistoryLength = maxHistoryLength;
        b.historyReplayLimit = historyReplayLimit;
        b.sendUserOnlineEvents = sendUserOnlineEvents;
        b.sendUserOfflineEvents = sendUserOfflineEvents;
        b.saveUsersLastOnlineTime = saveUsersLastOnlineTime;
        b.pipeCountAsObject = pipeCountAsObject;
        b.echoAuthHash = echoAuthHash;
        return b;
    }

    /** {@code [main] password}: CometQL password and JWT secret prefix; {@code null} disables JWT. */
    public String password() {
        return password;
    }

    /** The {@code server} string of serverInfo. */
    public String serverName() {
        return serverName;
    }

    /** Number of dev_id namespaces: valid dev_ids are {@code 0..devIndexSize-1}. */
    public int devIndexSize() {
        return devIndexSize;
    }

    public int maxPipeNameLength() {
        return maxPipeNameLength;
    }

    public int maxEventNameLength() {
        return maxEventNameLength;
    }

    /** Largest message body in UTF-8 bytes (publish, private message, web_pipe2). */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    public int maxSubscriptionsPerSession() {
        return maxSubscriptionsPerSession;
    }

    /** Live sessions per user that receive private messages (the original's 16). */
    public int maxSessionsPerUser() {
        return maxSessionsPerUser;
    }

    public int maxQueuedMessagesPerUser() {
        return maxQueuedMessagesPerUser;
    }

    /** Queued private messages older than this are purged; 0 keeps them forever. */
    public int queueTtlSeconds() {
        return queueTtlSeconds;
    }

    /** {@code trust_*} history older than this is purged; 0 keeps it forever. */
    public int trustHistoryTtlSeconds() {
        return trustHistoryTtlSeconds;
    }

    /** Upper clamp of {@code pipes_settings.length}. */
    public int maxHistoryLength() {
        return maxHistoryLength;
    }

    /** At most this many history rows are replayed / selected (the original's 99). */
    public int historyReplayLimit() {
        return historyReplayLimit;
    }

    public boolean sendUserOnlineEvents() {
        return sendUserOnlineEvents;
    }

    public boolean sendUserOfflineEvents() {
        return sendUserOfflineEvents;
    }

    public boolean saveUsersLastOnlineTime() {
        return saveUsersLastOnlineTime;
    }

    /** Labelled deviation (quirk Q7), off by default: {@code pipe_count} data as {@code {"user_in_pipe":N}}. */
    public boolean pipeCountAsObject() {
        return pipeCountAsObject;
    }

    /** Whether serverInfo {@code data} echoes the stored hash (original) or sends {@code ""} (Q22). */
    public boolean echoAuthHash() {
        return echoAuthHash;
    }

    @Override
    public String toString() {
        return "CometConfig{serverName=" + serverName + ", password=" + (password == null ? "none" : "****")
                + ", devIndexSize=" + devIndexSize + ", maxPipeNameLength=" + maxPipeNameLength
                + ", maxEventNameLength=" + maxEventNameLength + ", maxMessageBytes=" + maxMessageBytes
                + ", maxSubscriptionsPerSession=" + maxSubscriptionsPerSession
                + ", maxSessionsPerUser=" + maxSessionsPerUser + ", maxQueuedMessagesPerUser=" + maxQueuedMessagesPerUser
                + ", queueTtlSeconds=" + queueTtlSeconds + ", trustHistoryTtlSeconds=" + trustHistoryTtlSeconds
                + ", maxHistoryLength=" + maxHistoryLength + ", historyReplayLimit=" + historyReplayLimit
                + ", sendUserOnlineEvents=" + sendUserOnlineEvents + ", sendUserOfflineEvents=" + sendUserOfflineEvents
                + ", saveUsersLastOnlineTime=" + saveUsersLastOnlineTime + ", pipeCountAsObject=" + pipeCountAsObject
                + ", echoAuthHash=" + echoAuthHash + '}';
    }

    /** Builder of {@link CometConfig}; {@link #build()} validates every value. */
    public static final class Builder {
        private String password;
        private String serverName = DEFAULT_SERVER_NAME;
        private int devIndexSize = DEFAULT_DEV_INDEX_SIZE;
        private int maxPipeNameLength = DEFAULT_MAX_NAME_LENGTH;
        private int maxEventNameLength = DEFAULT_MAX_NAME_LENGTH;
        private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
        private int maxSubscriptionsPerSession = DEFAULT_MAX_SUBSCRIPTIONS_PER_SESSION;
        private int maxSessionsPerUser = DEFAULT_MAX_SESSIONS_PER_USER;
        private int maxQueuedMessagesPerUser = DEFAULT_MAX_QUEUED_MESSAGES_PER_USER;
        private int queueTtlSeconds = DEFAULT_QUEUE_TTL_SECONDS;
        private int trustHistoryTtlSeconds = DEFAULT_TRUST_HISTORY_TTL_SECONDS;
        private int maxHistoryLength = DEFAULT_MAX_HISTORY_LENGTH;
        private int historyReplayLimit = DEFAULT_HISTORY_REPLAY_LIMIT;
        private boolean sendUserOnlineEvents = true;
        private boolean sendUserOfflineEvents = true;
        private boolean saveUsersLastOnlineTime = true;
        private boolean pipeCountAsObject;
        private boolean echoAuthHash = true;

        private Builder() {
        }

        /** CometQL password and JWT secret prefix (default none: JWT logins are refused). */
        public Builder password(String v) {
            password = v;
            return this;
        }

        /** serverInfo {@code server} string (default {@value #DEFAULT_SERVER_NAME}). */
        public Builder serverName(String v) {
            serverName = v;
            return this;
        }

        /** Number of dev_id namespaces (default {@value #DEFAULT_DEV_INDEX_SIZE}). */
        public Builder devIndexSize(int v) {
            devIndexSize = v;
            return this;
        }

        /** Longest pipe name (default {@value #DEFAULT_MAX_NAME_LENGTH}). */
        public Builder maxPipeNameLength(int v) {
            maxPipeNameLength = v;
            return this;
        }

        /** Longest event name (default {@value #DEFAULT_MAX_NAME_LENGTH}). */
        public Builder maxEventNameLength(int v) {
            maxEventNameLength = v;
            return this;
        }

        /** Largest message body in UTF-8 bytes (default {@value #DEFAULT_MAX_MESSAGE_BYTES}). */
        public Builder maxMessageBytes(int v) {
            maxMessageBytes = v;
            return this;
        }

        /** Pipes one session may subscribe (default {@value #DEFAULT_MAX_SUBSCRIPTIONS_PER_SESSION}). */
        public Builder maxSubscriptionsPerSession(int v) {
            maxSubscriptionsPerSession = v;
            return this;
        }

        /** Live sessions per user receiving private messages (default {@value #DEFAULT_MAX_SESSIONS_PER_USER}). */
        public Builder maxSessionsPerUser(int v) {
            maxSessionsPerUser = v;
            return this;
        }

        /** Offline queue bound per user (default {@value #DEFAULT_MAX_QUEUED_MESSAGES_PER_USER}). */
        public Builder maxQueuedMessagesPerUser(int v) {
            maxQueuedMessagesPerUser = v;
            return this;
        }

        /** Offline queue TTL in seconds, 0 = forever (default {@value #DEFAULT_QUEUE_TTL_SECONDS}). */
        public Builder queueTtlSeconds(int v) {
            queueTtlSeconds = v;
            return this;
        }

        /** {@code trust_*} history TTL in seconds, 0 = forever (default {@value #DEFAULT_TRUST_HISTORY_TTL_SECONDS}). */
        public Builder trustHistoryTtlSeconds(int v) {
            trustHistoryTtlSeconds = v;
            return this;
        }

        /** Upper clamp of {@code pipes_settings.length} (default {@value #DEFAULT_MAX_HISTORY_LENGTH}). */
        public Builder maxHistoryLength(int v) {
            maxHistoryLength = v;
            return this;
        }

        /** Rows replayed by {@code pipe_log} / selected per pipe (default {@value #DEFAULT_HISTORY_REPLAY_LIMIT}). */
        public Builder historyReplayLimit(int v) {
            historyReplayLimit = v;
            return this;
        }

        /** Publish {@code online} to {@code user_status_N} on a user's first session (default true). */
        public Builder sendUserOnlineEvents(boolean v) {
            sendUserOnlineEvents = v;
            return this;
        }

        /** Publish {@code offline} on a user's last disconnect (default true). */
        public Builder sendUserOfflineEvents(boolean v) {
            sendUserOfflineEvents = v;
            return this;
        }

        /** Persist last-seen times for {@code users_time} (default true). */
        public Builder saveUsersLastOnlineTime(boolean v) {
            saveUsersLastOnlineTime = v;
            return this;
        }

        /** Send {@code pipe_count} data as an object instead of the original array (default false). */
        public Builder pipeCountAsObject(boolean v) {
            pipeCountAsObject = v;
            return this;
        }

        /** Echo the stored hash in serverInfo {@code data} (default true, as the original). */
        public Builder echoAuthHash(boolean v) {
            echoAuthHash = v;
            return this;
        }

        /** Validates and builds. */
        public CometConfig build() {
            if (serverName == null || serverName.isEmpty()) {
                throw new IllegalArgumentException("serverName: empty (expected: non-empty)");
            }
            positive("devIndexSize", devIndexSize);
            range("maxPipeNameLength", maxPipeNameLength, 3, 1024);
            range("maxEventNameLength", maxEventNameLength, 1, 1024);
            range("maxMessageBytes", maxMessageBytes, 1, 16 * 1024 * 1024);
            range("maxSubscriptionsPerSession", maxSubscriptionsPerSession, 1, 100_000);
            range("maxSessionsPerUser", maxSessionsPerUser, 1, 100_000);
            range("maxQueuedMessagesPerUser", maxQueuedMessagesPerUser, 0, 1_000_000);
            range("queueTtlSeconds", queueTtlSeconds, 0, Integer.MAX_VALUE);
            range("trustHistoryTtlSeconds", trustHistoryTtlSeconds, 0, Integer.MAX_VALUE);
            range("maxHistoryLength", maxHistoryLength, 0, 1_000_000);
            range("historyReplayLimit", historyReplayLimit, 1, 1_000_000);
            return new CometConfig(this);
        }

        private static void positive(String name, int v) {
            if (v <= 0) {
                throw new IllegalArgumentException(name + ": " + v + " (expected: > 0)");
            }
        }

        private static void range(String name, int v, int min, int max) {
            if (v < min || v > max) {
                throw new IllegalArgumentException(name + ": " + v + " (expected: " + min + ".." + max + ")");
            }
        }
    }
}

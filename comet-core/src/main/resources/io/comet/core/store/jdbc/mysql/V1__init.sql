-- Comet store schema, version 1 (MySQL 8 / MariaDB 10.5+). utf8mb4_bin: names compare exactly,
-- as in memory. Keys are (dev_id, ...); seq columns keep insertion order.
CREATE TABLE comet_users_auth (
    dev_id INT NOT NULL,
    user_id BIGINT NOT NULL,
    hash VARCHAR(255),
    PRIMARY KEY (dev_id, user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE comet_users_time (
    dev_id INT NOT NULL,
    user_id BIGINT NOT NULL,
    seen_at BIGINT NOT NULL,
    PRIMARY KEY (dev_id, user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE comet_users_messages (
    seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    id VARCHAR(64) NOT NULL,
    dev_id INT NOT NULL,
    user_id BIGINT NOT NULL,
    stored_at BIGINT NOT NULL,
    event VARCHAR(255),
    message MEDIUMTEXT,
    KEY comet_users_messages_user (dev_id, user_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE comet_pipes_settings (
    seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    dev_id INT NOT NULL,
    pipe VARCHAR(255) NOT NULL,
    history_length INT NOT NULL,
    UNIQUE KEY comet_pipes_settings_pipe (dev_id, pipe)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE comet_pipe_messages (
    seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    id VARCHAR(64) NOT NULL,
    dev_id INT NOT NULL,
    pipe VARCHAR(255) NOT NULL,
    stored_at BIGINT NOT NULL,
    event VARCHAR(255),
    message MEDIUMTEXT,
    user_id BIGINT NOT NULL,
    KEY comet_pipe_messages_pipe (dev_id, pipe, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE comet_users_data (
    dev_id INT NOT NULL,
    user_id BIGINT NOT NULL,
    data MEDIUMTEXT,
    PRIMARY KEY (dev_id, user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE comet_revoked_tokens (
    seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    dev_id INT NOT NULL,
    token_hash CHAR(64) NOT NULL,
    token MEDIUMTEXT NOT NULL,
    UNIQUE KEY comet_revoked_tokens_hash (dev_id, token_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

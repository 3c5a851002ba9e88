-- Version 2: indexes for deleting one history entry by id and for the TTL purge.
CREATE INDEX comet_pipe_messages_id ON comet_pipe_messages (dev_id, id);
CREATE INDEX comet_pipe_messages_time ON comet_pipe_messages (stored_at);
CREATE INDEX comet_users_messages_time ON comet_users_messages (stored_at);

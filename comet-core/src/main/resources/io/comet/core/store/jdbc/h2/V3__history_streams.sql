-- Version 3: history stream positions. Every entry gets its offset in its pipe's stream (existing
-- rows are numbered 1, 2, 3... per (dev_id, pipe) in seq order); comet_pipe_streams holds each
-- pipe's epoch and last appended offset (existing logged pipes get a fresh epoch and their
-- highest offset). Reads by offset use comet_pipe_messages_offset.
ALTER TABLE comet_pipe_messages ADD COLUMN msg_offset BIGINT DEFAULT 0 NOT NULL;

MERGE INTO comet_pipe_messages m
USING (SELECT seq, ROW_NUMBER() OVER (PARTITION BY dev_id, pipe ORDER BY seq) AS n FROM comet_pipe_messages) s
ON m.seq = s.seq
WHEN MATCHED THEN UPDATE SET msg_offset = s.n;

CREATE INDEX comet_pipe_messages_offset ON comet_pipe_messages (dev_id, pipe, msg_offset);

CREATE TABLE comet_pipe_streams (
    dev_id INT NOT NULL,
    pipe CHARACTER VARYING(255) NOT NULL,
    epoch CHARACTER VARYING(32) NOT NULL,
    last_offset BIGINT NOT NULL,
    PRIMARY KEY (dev_id, pipe)
);

INSERT INTO comet_pipe_streams (dev_id, pipe, epoch, last_offset)
SELECT dev_id, pipe, REPLACE(CAST(RANDOM_UUID() AS CHARACTER VARYING), '-', ''), MAX(msg_offset)
FROM comet_pipe_messages GROUP BY dev_id, pipe;

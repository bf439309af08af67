-- A feed message is acknowledged once it is stored, and folded into its
-- spell's bed state just after, by one folder at a time, many messages a
-- transaction. Storing a message (the ACK waits on it) is then one INSERT
-- of the batch, and folding costs a few statements for hundreds of
-- messages instead of four for every handful.
--
-- feed_pending holds the applied messages not yet folded (their ids only:
-- a queue whose rows come and go, beside the message log, which is written
-- once). Every message stored before this migration was folded when it was
-- stored.
CREATE TABLE feed_pending (
    message_id  bigint PRIMARY KEY  -- written with its message, in the same statement
);

-- The last message folded into a spell's state (the highest id): a message
-- with the same event time as the latest folded sorts after it only if it
-- came later, so it can be folded onto the state; otherwise the spell is
-- folded again from all its messages. Null for states written before.
ALTER TABLE feed_encounter ADD COLUMN folded_through bigint;

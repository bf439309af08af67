-- Every page a signed-in person opens records an audit event in the same
-- statement that reads the page. The event's foreign key to its user made
-- each of those inserts check the user row and take a KEY SHARE lock on it;
-- a person's requests running at once (several tabs, a ward PC shared by a
-- team under one account) share that row, so PostgreSQL turned the locks
-- into a multixact, written and read back on every request. Measured with
-- pgbench on this schema (50 clients, one user, synchronous_commit off, load
-- ~17): 6,000–8,200 inserts/s with the key, 7,000–9,900/s without (+15–20%).
--
-- The event's user is the signed-in user the service just authenticated (or
-- NULL for the system), so the reference holds by construction. What the key
-- also gave, that no event is left naming a user who is gone, is kept by
-- refusing DELETE and TRUNCATE on users outright: an account is disabled,
-- never deleted, for the audit trail names it (as 0041 does for cases).
ALTER TABLE audit_event DROP CONSTRAINT audit_event_user_id_fkey;

CREATE FUNCTION refuse_user_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'users are never deleted: the audit trail names them'
        USING ERRCODE = 'restrict_violation',
              HINT = 'Disable the account instead.';
END;
$$;
CREATE TRIGGER app_user_never_deleted BEFORE DELETE ON app_user FOR EACH STATEMENT EXECUTE FUNCTION refuse_user_delete();
CREATE TRIGGER app_user_never_truncated BEFORE TRUNCATE ON app_user FOR EACH STATEMENT EXECUTE FUNCTION refuse_user_delete();

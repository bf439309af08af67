-- A request may act on a session the service read a moment ago without
-- reading it again first: it sends this check in the same round trip and
-- transaction as its first statement. When the session has ended or changed
-- the check raises, and PostgreSQL skips every statement queued after it, so
-- nothing is read, recorded or changed on the stale session's behalf.
CREATE FUNCTION session_unchanged(unchanged boolean) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    IF NOT unchanged THEN
        RAISE EXCEPTION 'the session has ended or changed' USING ERRCODE = 'SE001';
    END IF;
    RETURN true;
END
$$;

-- A user's access revision: it moves with every change to the user (name,
-- password, disabled) or to their roles. A request acting on a session read
-- a moment ago checks the revision, with the session's expiry and idle time,
-- instead of a digest of the user and an aggregate of their roles, which was
-- most of the cost of every request's session check. Row triggers see every
-- change whoever makes it (the service, `stranded user`, psql).
ALTER TABLE app_user ADD COLUMN access_revision bigint NOT NULL DEFAULT 0;

CREATE FUNCTION app_user_next_access_revision() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.access_revision := OLD.access_revision + 1;
    RETURN NEW;
END
$$;

CREATE TRIGGER app_user_next_access_revision
    BEFORE UPDATE ON app_user
    FOR EACH ROW EXECUTE FUNCTION app_user_next_access_revision();

-- A granted, changed or withdrawn role changes its user (and so their revision).
CREATE FUNCTION user_role_changes_its_user() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        UPDATE app_user SET access_revision = access_revision + 1;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE app_user SET access_revision = access_revision + 1 WHERE id = OLD.user_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE app_user SET access_revision = access_revision + 1 WHERE id = NEW.user_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER user_role_changes_its_user
    AFTER INSERT OR UPDATE OR DELETE ON user_role
    FOR EACH ROW EXECUTE FUNCTION user_role_changes_its_user();

CREATE TRIGGER user_role_truncate_changes_every_user
    AFTER TRUNCATE ON user_role
    FOR EACH STATEMENT EXECUTE FUNCTION user_role_changes_its_user();

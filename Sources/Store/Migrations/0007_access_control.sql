-- Access control (issue 8): users and their roles, server-side sessions,
-- login attempts, API tokens, and the append-only audit trail.
-- Secrets (session ids, tokens) are stored only as SHA-256 hashes, so a copy
-- of the database does not let anyone sign in; passwords as bcrypt hashes.

CREATE TABLE app_user (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Lower case; what people type at the login page or a proxy sends.
    username        text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._@-]{1,63}$'),
    display_name    text NOT NULL CHECK (btrim(display_name) <> ''),
    -- NULL: no password login (trusted-header users, machine accounts).
    password_hash   text,
    disabled        boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- A user can hold several roles. `scope`: for `ward`, "SITE/WARD" codes (or
-- "SITE" for every ward of a site); for `level2`, organisation codes, empty
-- meaning all; unused by the other roles.
CREATE TABLE user_role (
    user_id     bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    role        text NOT NULL CHECK (role IN ('administrator', 'data', 'ward', 'level2', 'executive', 'plan-editor', 'viewer')),
    scope       text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (user_id, role),
    CHECK (role <> 'ward' OR cardinality(scope) > 0)
);

CREATE TABLE user_session (
    -- SHA-256 of the session id in the cookie, hex.
    id_hash         text PRIMARY KEY,
    user_id         bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    csrf_token      text NOT NULL,
    client_address  text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_seen_at    timestamptz NOT NULL DEFAULT now(),
    -- Absolute expiry; the idle timeout is checked against last_seen_at.
    expires_at      timestamptz NOT NULL
);
CREATE INDEX user_session_user_idx ON user_session (user_id);
CREATE INDEX user_session_expiry_idx ON user_session (expires_at);

-- Every login attempt, in the database so that limits hold across replicas.
CREATE TABLE login_attempt (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username        text NOT NULL,
    client_address  text,
    succeeded       boolean NOT NULL,
    attempted_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_attempt_user_idx ON login_attempt (username, attempted_at);
CREATE INDEX login_attempt_address_idx ON login_attempt (client_address, attempted_at);

-- Bearer tokens for machines (e.g. the nightly list upload).
CREATE TABLE api_token (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
    -- SHA-256 of the token, hex; the token itself is shown once.
    token_hash      text NOT NULL UNIQUE,
    -- The first characters of the token, to recognise it in a list.
    token_prefix    text NOT NULL,
    created_by      bigint REFERENCES app_user (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_used_at    timestamptz,
    revoked_at      timestamptz
);

CREATE TABLE api_token_role (
    token_id    bigint NOT NULL REFERENCES api_token (id) ON DELETE CASCADE,
    role        text NOT NULL CHECK (role IN ('administrator', 'data', 'ward', 'level2', 'executive', 'plan-editor', 'viewer')),
    scope       text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (token_id, role),
    CHECK (role <> 'ward' OR cardinality(scope) > 0)
);

-- The audit trail (DESIGN.md §7, ISO 27789): who, when (database clock),
-- what, which patient, from where, before -> after. Reads of patient pages
-- and exports are recorded as well as changes.
CREATE TABLE audit_event (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- NULL for the system itself (scheduler, inbox watcher, command line).
    user_id         bigint REFERENCES app_user (id),
    username        text NOT NULL,
    -- The roles the actor held, comma-separated, and how they signed in.
    roles           text NOT NULL DEFAULT '',
    auth_method     text,
    action          text NOT NULL CHECK (btrim(action) <> ''),
    entity_type     text NOT NULL CHECK (btrim(entity_type) <> ''),
    entity_id       text,
    case_id         bigint,
    nhs_number      text,
    client_address  text,
    session_hash    text,
    before          jsonb,
    after           jsonb
);
CREATE INDEX audit_event_time_idx ON audit_event (occurred_at);
CREATE INDEX audit_event_user_idx ON audit_event (username, occurred_at);
CREATE INDEX audit_event_entity_idx ON audit_event (entity_type, entity_id);
CREATE INDEX audit_event_case_idx ON audit_event (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX audit_event_nhs_idx ON audit_event (nhs_number) WHERE nhs_number IS NOT NULL;

-- Append-only, enforced by PostgreSQL for every role, superusers included
-- (the embedded default connects as `postgres`, which GRANT/REVOKE do not bind).
CREATE FUNCTION audit_refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'restrict_violation',
              HINT = 'the audit trail is never changed; record a new entry instead';
END;
$$;

CREATE TRIGGER audit_event_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_rewrite();

CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_rewrite();

-- The application's own database role for external databases (Deploy/README.md):
-- not a superuser, so its privileges bind. It may read and write the
-- application's tables but only INSERT and SELECT the audit trail.
-- Roles are cluster-wide: create it once, whichever database migrates first.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'stranded_app') THEN
        CREATE ROLE stranded_app NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object THEN
    NULL; -- created concurrently by another database's migration
END
$$;

GRANT USAGE ON SCHEMA public TO stranded_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO stranded_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO stranded_app;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM stranded_app;
GRANT SELECT, INSERT ON audit_event TO stranded_app;
-- Tables of later migrations (run by the same migrating role) get the same DML grants.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO stranded_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO stranded_app;

-- Reference data: who runs which hospital sites and wards.
-- Sites are registered by hand (`stranded sites …`) so a typo in a list can
-- never create a phantom hospital; wards under a known site are registered
-- automatically by the first list that names them.

CREATE TABLE organisation (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code <> ''),
    name        text NOT NULL CHECK (name <> ''),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE site (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code            text NOT NULL UNIQUE CHECK (code <> ''),
    name            text NOT NULL CHECK (name <> ''),
    setting         text NOT NULL CHECK (setting IN ('acute', 'community')),
    organisation_id bigint NOT NULL REFERENCES organisation (id),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX site_organisation_idx ON site (organisation_id);

CREATE TABLE ward (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id             bigint NOT NULL REFERENCES site (id),
    code                text NOT NULL CHECK (code <> ''),
    name                text,
    registered_by_import boolean NOT NULL DEFAULT false,
    created_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (site_id, code)
);

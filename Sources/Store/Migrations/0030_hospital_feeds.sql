-- Hospital feeds (DESIGN.md §4): HL7 v2 ADT over MLLP and FHIR R4 Encounters
-- keep a live bed state, stays for the aim, and at the list time a ward list.

-- Which registered site a feed's facility code is (PV1-3.4, else MSH-4; a
-- FHIR Encounter's serviceProvider or location). An unmapped facility is
-- refused with an error, never made into a site. Managed by `stranded sites feed-map`.
CREATE TABLE feed_facility (
    code        text PRIMARY KEY CHECK (btrim(code) <> ''),
    site_id     bigint NOT NULL REFERENCES site (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- A feed's own ward codes where they differ from the ward lists' codes;
-- without a row the feed's code is the ward code.
CREATE TABLE feed_ward (
    facility_code  text NOT NULL REFERENCES feed_facility (code) ON DELETE CASCADE,
    feed_code      text NOT NULL CHECK (btrim(feed_code) <> ''),
    ward_code      text NOT NULL CHECK (btrim(ward_code) <> ''),
    PRIMARY KEY (facility_code, feed_code)
);

-- Every usable message as received, once per (sending facility, control id):
-- a message sent again is acknowledged and changes nothing. `event` is the
-- message as the bed state reads it; the bed state is folded again from a
-- spell's events in event-time order whenever one arrives, so a late message
-- lands in its place. `body` is patient data: it is never logged.
CREATE TABLE feed_message (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel           text NOT NULL CHECK (channel IN ('hl7v2', 'fhir')),
    sending_facility  text NOT NULL,
    control_id        text NOT NULL,
    site_id           bigint REFERENCES site (id),
    trigger           text NOT NULL,
    event_time        timestamptz NOT NULL,
    encounter_key     text NOT NULL,
    applied           boolean NOT NULL,
    body              text NOT NULL,
    event             jsonb NOT NULL,
    received_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (sending_facility, control_id)
);
CREATE INDEX feed_message_encounter ON feed_message (encounter_key, id);
CREATE INDEX feed_message_site_received ON feed_message (site_id, received_at);

-- Messages that could not be used (answered AE or AR): what and where, for the
-- feed-health page. No body: a message that could not be read may not even
-- say whose it is, and is the sender's to fix and send again.
CREATE TABLE feed_error (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel           text NOT NULL CHECK (channel IN ('hl7v2', 'fhir')),
    sending_facility  text,
    site_id           bigint REFERENCES site (id),
    ack_code          text NOT NULL CHECK (ack_code IN ('AE', 'AR')),
    field             text NOT NULL,
    reason            text NOT NULL,
    received_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX feed_error_site_received ON feed_error (site_id, received_at);

-- The live bed state: one row per hospital spell, the fold of its events
-- (`state`), with the columns the census and the pages read. A spell's
-- stays are written to `stay` with source 'feed' and source_reference = key.
CREATE TABLE feed_encounter (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    encounter_key          text NOT NULL UNIQUE,
    channel                text NOT NULL CHECK (channel IN ('hl7v2', 'fhir')),
    site_id                bigint REFERENCES site (id),
    status                 text NOT NULL CHECK (status IN ('in-hospital', 'discharged', 'cancelled')),
    ward_code              text,
    room                   text,
    bed                    text,
    admitted_at            timestamptz,
    discharged_at          timestamptz,
    state                  jsonb NOT NULL,
    fhir_resource          jsonb,
    version                integer NOT NULL DEFAULT 1,
    updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX feed_encounter_site_status ON feed_encounter (site_id, status);
CREATE INDEX feed_encounter_admitted ON feed_encounter (admitted_at, discharged_at);
CREATE INDEX stay_feed_reference ON stay (source_reference) WHERE source = 'feed';

-- A weekly list made from a feed's census is recorded as such.
ALTER TABLE import_file DROP CONSTRAINT import_file_source_check;
ALTER TABLE import_file ADD CONSTRAINT import_file_source_check
    CHECK (source IN ('cli', 'api', 'web', 'inbox', 'demo', 'feed'));

-- Feed systems (a PAS's FHIR client) authenticate with API tokens of their
-- own role, which may post Encounters and nothing else; people never hold it.
ALTER TABLE api_token_role DROP CONSTRAINT api_token_role_role_check;
ALTER TABLE api_token_role ADD CONSTRAINT api_token_role_role_check
    CHECK (role IN ('administrator', 'data', 'ward', 'level2', 'executive', 'plan-editor', 'viewer', 'feed'));

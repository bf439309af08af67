-- Files sent through the /imports page are recorded as 'web', apart from
-- programs posting to /api/imports ('api'), so the import list says how
-- each file arrived.
ALTER TABLE import_file DROP CONSTRAINT import_file_source_check;
ALTER TABLE import_file ADD CONSTRAINT import_file_source_check
    CHECK (source IN ('cli', 'api', 'web', 'inbox', 'demo'));

-- Concord's own schema. Never touches user tables. Only concord.conflict_decisions is in the
-- publication (it replicates like a user table); nothing else here is captured as a change.
-- Every statement is idempotent: install runs again at each start.

CREATE SCHEMA IF NOT EXISTS concord;

CREATE TABLE IF NOT EXISTS concord.schema_version (
    version      integer PRIMARY KEY,
    installed_at timestamptz NOT NULL DEFAULT now()
);

-- The state of every replicated row this DC knows, deleted rows included (tombstones): `state` is
-- the whole RowState (the unsuperseded concurrent versions and the current row), a RowStateRecord in
-- Avro single-object encoding (schemas module), read by every later Concord version. vector, hlc,
-- dc and deleted repeat the current row's version for people to query; `state` is what counts.
-- Written by capture for local writes, in WAL order ((lsn, seq): the commit LSN of the change it
-- reflects and the change's index in its transaction), and by apply for the rows it settles ((lsn,
-- seq): the apply transaction's fence and the row's index). A write only ever replaces a row at a
-- smaller (lsn, seq), so neither a WAL replay nor a capture instance that was taken over can move a row back.
-- The key columns compare bytewise (COLLATE "C"): they are identifiers, never sorted for people, and a
-- locale's collation made every index descent of the apply path's upserts about 30% dearer.
CREATE TABLE IF NOT EXISTS concord.row_versions (
    table_name text COLLATE "C" NOT NULL,      -- schema.table
    row_key    text COLLATE "C" NOT NULL,      -- canonical JSON array of the key columns' text forms
    state      bytea   NOT NULL,               -- RowStateRecord, single-object encoded
    vector     jsonb   NOT NULL,               -- current version vector {"dc": writes seen}
    hlc        bigint  NOT NULL,               -- hybrid logical clock of the current version, µs
    dc         text    NOT NULL,               -- DC of the current version
    deleted    boolean NOT NULL DEFAULT false, -- the current row is a tombstone
    lsn        pg_lsn  NOT NULL,
    seq        integer NOT NULL DEFAULT 0,
    PRIMARY KEY (table_name, row_key)
);

-- Installed before the key columns were COLLATE "C": change them once (the primary key is rebuilt).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_attribute a
                WHERE a.attrelid = 'concord.row_versions'::regclass AND a.attname IN ('table_name', 'row_key')
                  AND a.attcollation <> 'pg_catalog."C"'::regcollation) THEN
        ALTER TABLE concord.row_versions ALTER COLUMN table_name TYPE text COLLATE "C",
                                         ALTER COLUMN row_key TYPE text COLLATE "C";
    END IF;
END
$$;

-- A row's state is rewritten by every later write of the row. With room left on each page the new version
-- of a state goes on the same page and needs no new index entry (a HOT update): 1,000-row updates of
-- random states cost about 20% less than on full pages. Pages written before this setting keep theirs.
-- Set only when not set yet: the ALTER would otherwise take, at every start, a lock that waits for a vacuum.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_class
                    WHERE oid = 'concord.row_versions'::regclass AND 'fillfactor=80' = ANY (reloptions)) THEN
        ALTER TABLE concord.row_versions SET (fillfactor = 80);
    END IF;
END
$$;

-- Where capture stands: everything up to `lsn` is published to Kafka and reflected in row_versions.
-- Only the instance holding the current epoch may write it (CaptureProgressStore).
CREATE TABLE IF NOT EXISTS concord.capture_progress (
    slot       text        PRIMARY KEY,
    lsn        pg_lsn      NOT NULL,
    hlc        bigint      NOT NULL,           -- this DC's hybrid logical clock at `lsn`
    epoch      bigint      NOT NULL DEFAULT 0, -- bumped by each instance that takes over capture: fences zombies
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Where apply stands in each peer topic partition: the next offset to apply. Written in the
-- same transaction as the rows it covers.
CREATE TABLE IF NOT EXISTS concord.apply_progress (
    topic       text        NOT NULL,
    partition   integer     NOT NULL,
    source_dc   text        NOT NULL,
    next_offset bigint      NOT NULL,
    source_lsn  bigint      NOT NULL,          -- commit LSN (at the source) of the last applied transaction
    applied_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition)
);

-- Per-peer liveness, from heartbeats.
CREATE TABLE IF NOT EXISTS concord.peer_status (
    peer              text        PRIMARY KEY,
    last_heartbeat_at timestamptz NOT NULL,
    heartbeat_lsn     bigint      NOT NULL,
    lag_millis        bigint      NOT NULL,
    updated_at        timestamptz NOT NULL DEFAULT now()
);

-- Every conflict recorded by a resolver that asks for it. The id is derived from the two
-- versions, so the same conflict seen in two DCs has the same id.
CREATE TABLE IF NOT EXISTS concord.conflicts (
    id             text        PRIMARY KEY,
    detected_at    timestamptz NOT NULL DEFAULT now(),
    detected_in    text        NOT NULL,
    table_name     text        NOT NULL,
    primary_key    jsonb       NOT NULL,
    conflict_type  text        NOT NULL CHECK (conflict_type IN
                       ('insert_insert', 'update_update', 'update_delete', 'delete_update', 'unique_violation')),
    local_row      jsonb,
    remote_row     jsonb,
    local_version  jsonb       NOT NULL,
    remote_version jsonb       NOT NULL,
    local_origin   text        NOT NULL,
    remote_origin  text        NOT NULL,
    resolver       text        NOT NULL,
    resolution     text        NOT NULL CHECK (resolution IN ('remote_applied', 'local_kept', 'merged')),
    applied_row    jsonb,
    status         text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'dismissed')),
    resolved_at    timestamptz,
    resolved_by    text,
    note           text
);
CREATE INDEX IF NOT EXISTS conflicts_open_by_table_time
    ON concord.conflicts (table_name, detected_at) WHERE status = 'open';
CREATE INDEX IF NOT EXISTS conflicts_by_time ON concord.conflicts (detected_at);

CREATE OR REPLACE VIEW concord.open_conflicts AS
    SELECT id, detected_at, detected_in, table_name, primary_key, conflict_type,
           local_origin, remote_origin, local_row, remote_row, applied_row, resolver, resolution
      FROM concord.conflicts
     WHERE status = 'open'
     ORDER BY detected_at;

-- People's decisions on conflicts (concord conflicts resolve | dismiss). Unlike the rest of this
-- schema it is replicated, like a user table under lww, in the same source transaction as the row a
-- resolution writes: every DC learns the decision exactly when it learns the row. A conflict that a
-- DC records only after the decision arrived (its conflicting versions came later) takes the decision
-- at insert. The triggers fire for apply's writes too (ENABLE ALWAYS).
CREATE TABLE IF NOT EXISTS concord.conflict_decisions (
    id         text        PRIMARY KEY,        -- concord.conflicts.id
    status     text        NOT NULL CHECK (status IN ('resolved', 'dismissed')),
    decided_at timestamptz NOT NULL DEFAULT now(),
    decided_by text        NOT NULL,
    decided_in text        NOT NULL,
    kept       text,                           -- local, remote or row (a resolution), null for a dismissal
    note       text
);

CREATE OR REPLACE FUNCTION concord.conflict_decided() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE concord.conflicts
       SET status = NEW.status, resolved_at = NEW.decided_at, resolved_by = NEW.decided_by || '@' || NEW.decided_in,
           note = NEW.note
     WHERE id = NEW.id;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER conflict_decided AFTER INSERT OR UPDATE ON concord.conflict_decisions
    FOR EACH ROW EXECUTE FUNCTION concord.conflict_decided();
ALTER TABLE concord.conflict_decisions ENABLE ALWAYS TRIGGER conflict_decided;

CREATE OR REPLACE FUNCTION concord.conflict_recorded() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    decision concord.conflict_decisions%ROWTYPE;
BEGIN
    SELECT * INTO decision FROM concord.conflict_decisions WHERE id = NEW.id;
    IF FOUND THEN
        NEW.status := decision.status;
        NEW.resolved_at := decision.decided_at;
        NEW.resolved_by := decision.decided_by || '@' || decision.decided_in;
        NEW.note := decision.note;
    END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER conflict_recorded BEFORE INSERT ON concord.conflicts
    FOR EACH ROW EXECUTE FUNCTION concord.conflict_recorded();
ALTER TABLE concord.conflicts ENABLE ALWAYS TRIGGER conflict_recorded;

-- Events that could not be decoded or applied, with the reason and the raw bytes to retry them.
CREATE TABLE IF NOT EXISTS concord.dead_letters (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    failed_at        timestamptz NOT NULL DEFAULT now(),
    error_class      text        NOT NULL,
    reason           text        NOT NULL,
    source_topic     text        NOT NULL,
    source_partition integer     NOT NULL,
    source_offset    bigint      NOT NULL,
    table_name       text,
    record_key       bytea,
    payload          bytea,
    -- new → retry (asked by `concord dlq retry`) → retried, or back to new with the new reason; or discarded
    status           text        NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'retry', 'retried', 'discarded')),
    retried_at       timestamptz,
    UNIQUE (source_topic, source_partition, source_offset)
);
CREATE INDEX IF NOT EXISTS dead_letters_new ON concord.dead_letters (failed_at) WHERE status = 'new';

INSERT INTO concord.schema_version (version) VALUES (1) ON CONFLICT DO NOTHING;

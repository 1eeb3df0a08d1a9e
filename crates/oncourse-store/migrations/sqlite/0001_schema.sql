-- oncourse store schema, SQLite dialect. Keep in step with migrations/postgres/0001_schema.sql:
-- the same tables, columns and constraints; only types and trigger syntax differ.
-- Times are RFC 3339 UTC text with microseconds (`2026-11-28T19:30:45.000000Z`), so text order is
-- time order. Ids are text. Payloads are JSON text, opaque to the store.

CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('clinician', 'nurse', 'researcher', 'admin')),
    password_hash TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    label TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE patients (
    id TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    identifier TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id)
);

CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    patient_id TEXT NOT NULL REFERENCES patients (id),
    fact_id TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('assert', 'correct', 'retract')),
    fact_kind TEXT NOT NULL,
    valid_time TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    author TEXT NOT NULL REFERENCES users (id),
    payload TEXT,
    supersedes TEXT UNIQUE,
    reason TEXT,
    idempotency_key TEXT,
    UNIQUE (patient_id, idempotency_key),
    -- A correction or retraction names an earlier event of the same patient and fact.
    UNIQUE (patient_id, fact_id, event_id),
    FOREIGN KEY (patient_id, fact_id, supersedes) REFERENCES events (patient_id, fact_id, event_id),
    CHECK ((action = 'assert') = (supersedes IS NULL)),
    CHECK ((action = 'retract') = (payload IS NULL))
);
CREATE INDEX events_by_patient ON events (patient_id, recorded_at);
-- A fact id is asserted once per patient; later versions are corrections.
CREATE UNIQUE INDEX events_one_assert_per_fact ON events (patient_id, fact_id) WHERE action = 'assert';

CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    patient_id TEXT,
    detail TEXT NOT NULL
);

-- Clinical rows and the audit trail are never changed or removed: a correction is a new event.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events is append-only: UPDATE is not allowed'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events is append-only: DELETE is not allowed'); END;
CREATE TRIGGER patients_no_update BEFORE UPDATE ON patients
BEGIN SELECT RAISE(ABORT, 'patients is append-only: UPDATE is not allowed'); END;
CREATE TRIGGER patients_no_delete BEFORE DELETE ON patients
BEGIN SELECT RAISE(ABORT, 'patients is append-only: DELETE is not allowed'); END;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE is not allowed'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE is not allowed'); END;

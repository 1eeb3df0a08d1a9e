-- oncourse store schema, PostgreSQL dialect. Keep in step with migrations/sqlite/0001_schema.sql:
-- the same tables, columns and constraints; only types and trigger syntax differ.
-- Times are RFC 3339 UTC text with microseconds (`2026-11-28T19:30:45.000000Z`), so text order is
-- time order (the `C` collation makes the comparison bytewise). Ids are text. Payloads are JSON
-- text, opaque to the store (the `Any` driver carries no JSON type).

CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('clinician', 'nurse', 'researcher', 'admin')),
    password_hash TEXT,
    created_at TEXT COLLATE "C" NOT NULL
);

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    label TEXT NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at TEXT COLLATE "C" NOT NULL,
    expires_at TEXT COLLATE "C" NOT NULL
);

CREATE TABLE patients (
    id TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    identifier TEXT,
    created_at TEXT COLLATE "C" NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id)
);

CREATE TABLE events (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    patient_id TEXT NOT NULL REFERENCES patients (id),
    fact_id TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('assert', 'correct', 'retract')),
    fact_kind TEXT NOT NULL,
    valid_time TEXT COLLATE "C" NOT NULL,
    recorded_at TEXT COLLATE "C" NOT NULL,
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
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TEXT COLLATE "C" NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    patient_id TEXT,
    detail TEXT NOT NULL
);

-- Clinical rows and the audit trail are never changed or removed: a correction is a new event.
CREATE FUNCTION oncourse_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP;
END
$$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION oncourse_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION oncourse_append_only();
CREATE TRIGGER patients_append_only BEFORE UPDATE OR DELETE ON patients
    FOR EACH ROW EXECUTE FUNCTION oncourse_append_only();
CREATE TRIGGER patients_no_truncate BEFORE TRUNCATE ON patients
    FOR EACH STATEMENT EXECUTE FUNCTION oncourse_append_only();
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION oncourse_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION oncourse_append_only();

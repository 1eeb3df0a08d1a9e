-- A client's Idempotency-Key, per user: a digest of the request it came with and the events
-- that request wrote, recorded in the same transaction as those events. A retry with the same
-- key and request is answered with those events; the same key with another request is refused.
CREATE TABLE request_keys (
    user_id TEXT NOT NULL REFERENCES users (id),
    request_key TEXT NOT NULL,
    request_digest TEXT NOT NULL,
    patient_id TEXT NOT NULL REFERENCES patients (id),
    event_ids TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, request_key)
);

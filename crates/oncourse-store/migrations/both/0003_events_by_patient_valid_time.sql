-- Fact lists are ordered by valid time then log order: with this index a page (LIMIT) reads
-- only its rows instead of sorting the patient's whole log.
CREATE INDEX events_by_patient_valid_time ON events (patient_id, valid_time, seq);

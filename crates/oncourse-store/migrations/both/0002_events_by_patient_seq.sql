-- The latest event of a patient (the key of cached assessments) and paged fact lists read the
-- log in `seq` order per patient.
CREATE INDEX events_by_patient_seq ON events (patient_id, seq);

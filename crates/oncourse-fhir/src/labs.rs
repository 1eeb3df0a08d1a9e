//! Lab feeds merged idempotently into a record.

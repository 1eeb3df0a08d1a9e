//! The per-patient date shift for de-identified (researcher) views.
//!
//! Each patient's dates move by the same whole number of days, so intervals within a patient
//! (time to progression, days between doses) are kept while calendar dates no longer identify
//! anyone. The shift is derived from a random secret kept in the store and the patient id:
//! deterministic (the same patient always shifts by the same days) but not computable by a
//! researcher, who never sees the secret. The range is 1 to 365 days earlier: large enough that a
//! shifted date does not point at the real one, small enough to keep the season roughly right.

use crate::{Store, StoreError};
use sha2::{Digest, Sha256};

pub(crate) const SECRET_SETTING: &str = "research_date_shift_secret";

/// The largest shift, in days.
const MAX_SHIFT_DAYS: u64 = 365;

impl Store {
    /// How many days (negative: earlier) this patient's dates move in de-identified views.
    pub async fn research_date_shift_days(&self, patient_id: &str) -> Result<i64, StoreError> {
        // The secret was read when the store opened: no query per request.
        Ok(date_shift_days(&self.research_secret, patient_id))
    }
}

/// The shift for a secret and a patient: 1 to 365 days earlier.
fn date_shift_days(secret: &str, patient_id: &str) -> i64 {
    let digest = Sha256::new()
        .chain_update(secret.as_bytes())
        .chain_update([0u8])
        .chain_update(patient_id.as_bytes())
        .finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    let days = 1 + u64::from_le_bytes(first) % MAX_SHIFT_DAYS;
    -(days as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The shift is deterministic, never zero, and within a year.
        #[test]
        fn shifts_are_deterministic_nonzero_and_bounded(secret in "[0-9a-f]{64}", patient in "p_[0-9a-f]{24}") {
            let days = date_shift_days(&secret, &patient);
            proptest::prop_assert_eq!(days, date_shift_days(&secret, &patient));
            proptest::prop_assert!((-365..=-1).contains(&days));
        }
    }

    #[test]
    fn different_secrets_give_different_shifts() {
        // Not a proof, but a store whose secret did not matter would fail this.
        let shifts: std::collections::HashSet<i64> = (0..20)
            .map(|i| date_shift_days(&format!("secret-{i}"), "p_1"))
            .collect();
        assert!(shifts.len() > 10, "{shifts:?}");
    }
}

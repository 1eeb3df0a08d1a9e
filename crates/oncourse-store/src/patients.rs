//! Patients: an opaque id, the identifying name and identifier, and who created the record.
//! Patient rows are append-only like events.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{AuditRecord, record_audit};
use crate::token::random_hex;
use crate::{Actor, Store, StoreError, Timestamp};

/// A patient to create.
#[derive(Clone, Debug)]
pub struct NewPatient<'a> {
    /// The name clinicians see (identifying).
    pub display_name: &'a str,
    /// A hospital identifier such as a medical record number (identifying), if any.
    pub identifier: Option<&'a str>,
}

/// A patient.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Patient {
    /// Opaque random id (not identifying).
    pub id: String,
    /// The name clinicians see (identifying).
    pub display_name: String,
    /// A hospital identifier (identifying), if any.
    pub identifier: Option<String>,
    /// When the record was created.
    pub created_at: String,
}

impl Store {
    /// Creates a patient and audits it.
    pub async fn create_patient(
        &self,
        actor: &Actor,
        patient: &NewPatient<'_>,
        now: Timestamp,
    ) -> Result<Patient, StoreError> {
        let display_name = patient.display_name.trim();
        if display_name.is_empty() {
            return Err(StoreError::Invalid {
                field: "name",
                value: patient.display_name.to_owned(),
                expected: "a non-empty name",
            });
        }
        let created = Patient {
            id: format!("p_{}", random_hex(12)),
            display_name: display_name.to_owned(),
            identifier: patient.identifier.map(str::to_owned),
            created_at: now.to_sql_text(),
        };
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "INSERT INTO patients (id, display_name, identifier, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&created.id)
        .bind(&created.display_name)
        .bind(&created.identifier)
        .bind(&created.created_at)
        .bind(&actor.user_id)
        .execute(&mut *tx)
        .await?;
        record_audit(
            &mut tx,
            &AuditRecord {
                at: now,
                actor: &actor.name,
                action: "patient.create",
                patient_id: Some(&created.id),
                detail: serde_json::json!({}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Every patient, oldest record first.
    pub async fn patients(&self) -> Result<Vec<Patient>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, display_name, identifier, created_at FROM patients ORDER BY created_at, id",
        )
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(patient_from_row).collect()
    }

    /// The patient with this id.
    pub async fn patient(&self, patient_id: &str) -> Result<Patient, StoreError> {
        let row = sqlx::query(
            "SELECT id, display_name, identifier, created_at FROM patients WHERE id = $1",
        )
        .bind(patient_id)
        .fetch_optional(&self.reader)
        .await?;
        match row {
            Some(row) => patient_from_row(&row),
            None => Err(StoreError::PatientNotFound(patient_id.to_owned())),
        }
    }
}

fn patient_from_row(row: &AnyRow) -> Result<Patient, StoreError> {
    Ok(Patient {
        id: row.try_get("id")?,
        display_name: row.try_get("display_name")?,
        identifier: row.try_get("identifier")?,
        created_at: row.try_get("created_at")?,
    })
}

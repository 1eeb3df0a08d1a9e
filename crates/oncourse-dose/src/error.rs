//! The one error type of the crate: every variant names the source (file or label), the
//! DICOM attribute or field, the value found and what was expected.

/// An error reading DICOM RT objects or computing with them.
#[derive(Debug, thiserror::Error)]
pub enum DoseError {
    /// The bytes are not a readable DICOM file.
    #[error("{source_name}: not a readable DICOM file: {message}")]
    Dicom {
        /// The file name or label the bytes came from.
        source_name: String,
        /// What the DICOM parser reported.
        message: String,
    },
    /// A required attribute is absent.
    #[error("{source_name}: {attribute}: missing, expected {expected}")]
    MissingAttribute {
        /// The file name or label.
        source_name: String,
        /// The attribute keyword and tag, e.g. `DoseGridScaling (3004,000E)`.
        attribute: String,
        /// What should have been there.
        expected: String,
    },
    /// An attribute or field has a value we cannot use.
    #[error("{source_name}: {attribute}: expected {expected}, got {got}")]
    InvalidValue {
        /// The file name or label.
        source_name: String,
        /// The attribute or field, with its position inside sequences where useful.
        attribute: String,
        /// What a valid value looks like.
        expected: String,
        /// The value found.
        got: String,
    },
    /// The dose grid is not axial with axis-aligned rows and columns.
    #[error(
        "{source_name}: ImageOrientationPatient (0020,0037): expected an axial, axis-aligned orientation \
         (row and column cosines each ±(1,0,0) or ±(0,1,0)), got {got:?}"
    )]
    UnsupportedOrientation {
        /// The file name or label.
        source_name: String,
        /// The six direction cosines found.
        got: Vec<f64>,
    },
    /// Two objects that must share a frame of reference do not.
    #[error(
        "frame of reference mismatch: {first_source} uses {first_uid}, {second_source} uses {second_uid}"
    )]
    FrameOfReferenceMismatch {
        /// The first file name or label.
        first_source: String,
        /// Its FrameOfReferenceUID.
        first_uid: String,
        /// The second file name or label.
        second_source: String,
        /// Its FrameOfReferenceUID.
        second_uid: String,
    },
    /// A caller-supplied argument is out of range.
    #[error("{argument}: expected {expected}, got {got}")]
    InvalidArgument {
        /// The argument name.
        argument: String,
        /// What a valid value looks like.
        expected: String,
        /// The value given.
        got: String,
    },
    /// A file could not be read from disk.
    #[error("{path}: cannot read: {message}")]
    Io {
        /// The path.
        path: String,
        /// The operating system's message.
        message: String,
    },
}

/// The result type of this crate.
pub type Result<T, E = DoseError> = std::result::Result<T, E>;

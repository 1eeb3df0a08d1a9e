//! Parsing a DICOM Part 10 byte stream with dicom-rs, with two changes to its default path:
//!
//! 1. **Element lengths are capped by the bytes that remain.** dicom-rs sizes its value buffer
//!    from the element header before it reads (a `resize` to the stated length), so one
//!    corrupted length makes it zero gigabytes before it finds the data short. Every header
//!    (file meta group, data set elements, sequence items) is checked against the bytes left in
//!    the file before dicom-rs sees it; a length that overruns is reported by tag and offset.
//! 2. **Decimal strings (DS) are parsed once, without an allocation per value.** dicom-rs's
//!    default (preserving) path splits a DS value into one `String` per number, and the readers
//!    then parse each string again; an RT Structure Set's ContourData holds hundreds of
//!    thousands of such numbers, which made this path a third of the DVH command's time. Here
//!    the value's bytes are split and parsed in place (std's `f64` parser, correctly rounded).
//!    A DS value that does not parse is kept as its text, so the attribute readers report it
//!    with the value they saw.
//!
//! Both are done by wrapping dicom-rs's own stateful decoder: headers, transfer syntaxes,
//! character sets and sequences stay dicom-rs's.

use std::io::Seek;

use dicom_core::header::{DataElementHeader, HasLength, Length, SequenceItemHeader};
use dicom_core::{PrimitiveValue, Tag, VR};
use dicom_dictionary_std::StandardDataDictionary;
use dicom_encoding::decode::Decode;
use dicom_encoding::decode::explicit_le::ExplicitVRLittleEndianDecoder;
use dicom_encoding::transfer_syntax::{Codec, TransferSyntaxIndex};
use dicom_object::{FileMetaTable, InMemDicomObject};
use dicom_parser::stateful::decode::Result as DecodeResult;
use dicom_parser::{DynStatefulDecoder, StatefulDecode};
use dicom_transfer_syntax_registry::TransferSyntaxRegistry;

use crate::error::{DoseError, Result};

/// Reads a file and hands its bytes, named by its path, to `read`.
pub(crate) fn read_file<T>(
    path: &std::path::Path,
    read: fn(&str, &[u8]) -> Result<T>,
) -> Result<T> {
    let bytes = std::fs::read(path).map_err(|error| DoseError::Io {
        path: path.display().to_string(),
        message: error.to_string(),
    })?;
    read(&path.display().to_string(), &bytes)
}

/// Parses a DICOM Part 10 byte stream (with or without the 128-byte preamble).
pub(crate) fn parse(
    source_name: &str,
    bytes: &[u8],
) -> Result<InMemDicomObject<StandardDataDictionary>> {
    let dicom_error = |message: String| DoseError::Dicom {
        source_name: source_name.to_owned(),
        message,
    };
    let (body, body_offset) = if bytes.len() >= 132 && &bytes[128..132] == b"DICM" {
        (&bytes[128..], 128)
    } else if bytes.starts_with(b"DICM") {
        (bytes, 0)
    } else {
        return Err(dicom_error(
            "no \"DICM\" magic at offset 0 or 128".to_owned(),
        ));
    };
    let meta_end =
        file_meta_end(body).map_err(|overrun| dicom_error(overrun.describe(body_offset)))?;
    let meta = FileMetaTable::from_reader(&body[..meta_end])
        .map_err(|error| dicom_error(format!("file meta group: {error}")))?;
    let uid = meta.transfer_syntax();
    let syntax = TransferSyntaxRegistry
        .get(uid)
        // A deflated data set would need the whole stream inflated first; RT objects are not
        // written that way in practice.
        .filter(|syntax| matches!(syntax.codec(), Codec::None | Codec::EncapsulatedPixelData(..)))
        .ok_or_else(|| {
            dicom_error(format!(
                "transfer syntax {uid:?}: expected one whose data set is not compressed (implicit or explicit VR)"
            ))
        })?;
    let data_set = &body[meta_end..];
    let decoder = DynStatefulDecoder::new_with(data_set, syntax, Default::default(), 0)
        .map_err(|error| dicom_error(error.to_string()))?;
    let mut guarded = Guarded {
        inner: decoder,
        length: data_set.len() as u64,
        overrun: None,
        scratch: Vec::new(),
    };
    let object = InMemDicomObject::read_dataset_with_dict(&mut guarded, StandardDataDictionary);
    // An overrun comes first: after it the parser read clipped values, so its own error (if
    // any) is a consequence.
    if let Some(overrun) = guarded.overrun {
        return Err(dicom_error(overrun.describe(body_offset + meta_end as u64)));
    }
    object.map_err(|error| dicom_error(error.to_string()))
}

/// An element or item whose stated length is more than the bytes left after its header.
#[derive(Debug, Clone, Copy)]
struct Overrun {
    tag: Tag,
    length: u32,
    /// Offset of the value in the part that was being read.
    offset: u64,
    available: u64,
}

impl Overrun {
    fn describe(&self, base_offset: u64) -> String {
        format!(
            "element ({:04X},{:04X}) at byte {} states a length of {} bytes, but only {} bytes follow",
            self.tag.group(),
            self.tag.element(),
            base_offset + self.offset,
            self.length,
            self.available
        )
    }
}

/// Where the file meta group (group 0002, explicit VR little endian) ends in `body` (which
/// starts at "DICM"), checking that no meta element's length overruns the file.
fn file_meta_end(body: &[u8]) -> std::result::Result<usize, Overrun> {
    let decoder = ExplicitVRLittleEndianDecoder::default();
    let mut position = 4;
    loop {
        let rest = &body[position..];
        // The next element's group, without consuming it.
        if rest.len() < 2 || u16::from_le_bytes([rest[0], rest[1]]) != 0x0002 {
            return Ok(position);
        }
        let mut cursor = rest;
        let Ok((header, header_length)) = decoder.decode_header(&mut cursor) else {
            // Let dicom-rs's meta reader report the broken header.
            return Ok(body.len());
        };
        let available = (rest.len() - header_length) as u64;
        let length = header.length().get().unwrap_or(0);
        if u64::from(length) > available {
            return Err(Overrun {
                tag: header.tag,
                length,
                offset: (position + header_length) as u64,
                available,
            });
        }
        position += header_length + length as usize;
    }
}

/// dicom-rs's stateful decoder with the two changes of the module docs.
struct Guarded<D> {
    inner: D,
    /// Bytes in the data set.
    length: u64,
    /// The first overrun seen.
    overrun: Option<Overrun>,
    /// Reused buffer for DS values.
    scratch: Vec<u8>,
}

impl<D: StatefulDecode> Guarded<D> {
    /// The length to hand on: the stated one, or (after recording the overrun) what is left, so
    /// that the parser reads no further than the data and stops.
    fn capped(&mut self, tag: Tag, length: Length) -> Length {
        let Some(stated) = length.get() else {
            return length;
        };
        let position = self.inner.position();
        let available = self.length.saturating_sub(position);
        if u64::from(stated) <= available {
            return length;
        }
        self.overrun.get_or_insert(Overrun {
            tag,
            length: stated,
            offset: position,
            available,
        });
        // Fits: `available` is less than a u32 here.
        Length(available as u32)
    }
}

impl<D: StatefulDecode> StatefulDecode for Guarded<D> {
    type Reader = D::Reader;

    fn decode_header(&mut self) -> DecodeResult<DataElementHeader> {
        let mut header = self.inner.decode_header()?;
        header.len = self.capped(header.tag, header.len);
        Ok(header)
    }

    fn decode_item_header(&mut self) -> DecodeResult<SequenceItemHeader> {
        let header = self.inner.decode_item_header()?;
        Ok(match header {
            SequenceItemHeader::Item { len } => SequenceItemHeader::Item {
                len: self.capped(Tag(0xFFFE, 0xE000), len),
            },
            other => other,
        })
    }

    fn read_value(&mut self, header: &DataElementHeader) -> DecodeResult<PrimitiveValue> {
        self.inner.read_value(header)
    }

    fn read_value_preserved(&mut self, header: &DataElementHeader) -> DecodeResult<PrimitiveValue> {
        let Some(length) = header.length().get().filter(|_| header.vr == VR::DS) else {
            return self.inner.read_value_preserved(header);
        };
        self.scratch.clear();
        self.inner.read_to_vec(length, &mut self.scratch)?;
        Ok(decimal_strings(&self.scratch))
    }

    fn read_value_bytes(&mut self, header: &DataElementHeader) -> DecodeResult<PrimitiveValue> {
        self.inner.read_value_bytes(header)
    }

    fn read_to_vec(&mut self, length: u32, vec: &mut Vec<u8>) -> DecodeResult<()> {
        self.inner.read_to_vec(length, vec)
    }

    fn read_u32_to_vec(&mut self, length: u32, vec: &mut Vec<u32>) -> DecodeResult<()> {
        self.inner.read_u32_to_vec(length, vec)
    }

    fn read_to<W>(&mut self, length: u32, out: W) -> DecodeResult<()>
    where
        Self: Sized,
        W: std::io::Write,
    {
        self.inner.read_to(length, out)
    }

    fn skip_bytes(&mut self, length: u32) -> DecodeResult<()> {
        self.inner.skip_bytes(length)
    }

    fn seek(&mut self, position: u64) -> DecodeResult<()>
    where
        Self::Reader: Seek,
    {
        self.inner.seek(position)
    }

    fn position(&self) -> u64 {
        self.inner.position()
    }
}

/// A DS value's bytes as numbers (`F64`), `Empty` when blank, or its text (`Str`) when some
/// part is not a decimal number.
fn decimal_strings(bytes: &[u8]) -> PrimitiveValue {
    // Padding (a space, or NUL written by some systems) is not part of the value.
    let end = bytes
        .iter()
        .rposition(|byte| !byte.is_ascii_whitespace() && *byte != 0)
        .map_or(0, |last| last + 1);
    let trimmed = &bytes[..end];
    if trimmed.is_empty() {
        return PrimitiveValue::Empty;
    }
    let numbers: Option<Vec<f64>> = trimmed
        .split(|byte| *byte == b'\\')
        .map(|part| {
            std::str::from_utf8(part.trim_ascii())
                .ok()
                .and_then(|text| text.parse().ok())
        })
        .collect();
    match numbers {
        Some(numbers) => PrimitiveValue::F64(numbers.into()),
        None => PrimitiveValue::Str(String::from_utf8_lossy(bytes).into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_strings_parse_in_place() {
        assert_eq!(
            decimal_strings(b" 1.5\\-2e3\\+0.25 "),
            PrimitiveValue::F64(vec![1.5, -2000.0, 0.25].into())
        );
        assert_eq!(decimal_strings(b"  \0"), PrimitiveValue::Empty);
        assert_eq!(
            decimal_strings(b"1.5\\x"),
            PrimitiveValue::Str("1.5\\x".to_owned())
        );
        assert_eq!(
            decimal_strings(b"1\\\\2"),
            PrimitiveValue::Str("1\\\\2".to_owned())
        );
    }
}

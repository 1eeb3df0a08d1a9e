//! Parsing a DICOM Part 10 stream with dicom-rs, with three changes to its default path:
//!
//! 1. **Element lengths are capped by the bytes that remain.** dicom-rs sizes its value buffer
//!    from the element header before it reads (a `resize` to the stated length), so one
//!    corrupted length makes it zero gigabytes before it finds the data short. Every header
//!    (file meta group, data set elements, sequence items) is checked against the bytes left in
//!    the source before dicom-rs sees it; a length that overruns is reported by tag and offset.
//! 2. **Decimal strings (DS) are parsed once, without an allocation per value.** dicom-rs's
//!    default (preserving) path splits a DS value into one `String` per number, and the readers
//!    then parse each string again; an RT Structure Set's ContourData holds hundreds of
//!    thousands of such numbers, which made this path a third of the DVH command's time. Here
//!    the value's bytes are split and parsed in place (`crate::decimal`, correctly rounded).
//!    A DS value that does not parse is kept as its text, so the attribute readers report it
//!    with the value they saw.
//! 3. **Parsing stops at the top-level PixelData element, whose value is left in the source.**
//!    An RT Dose is mostly pixel data (9.8 MB of the example plan's 10 MB); dicom-rs would
//!    copy it into a buffer of its own, only for the dose reader to convert that into the
//!    grid. Instead [`DataSet::pixel_data`] says where the value lies, and
//!    [`PixelData::read_chunks`] hands it over in cache-sized pieces straight from the file.
//!    Nothing after PixelData is read: no RT reader uses it.
//!
//! All three are done by wrapping dicom-rs's own stateful decoder: headers, transfer syntaxes,
//! character sets and sequences stay dicom-rs's. Files are read through a buffer of
//! [`FILE_BUFFER`] bytes rather than whole, so the pixel bytes are never held in memory: only
//! the grid they become is. (Memory-mapping the file would save the copy into that buffer too,
//! but needs `unsafe`, which the workspace forbids.)

use std::io::{BufRead, BufReader, Cursor, Read, Seek, SeekFrom};

use dicom_core::header::{DataElementHeader, HasLength, Length, SequenceItemHeader};
use dicom_core::{PrimitiveValue, Tag, VR};
use dicom_dictionary_std::StandardDataDictionary;
use dicom_dictionary_std::tags;
use dicom_encoding::decode::Decode;
use dicom_encoding::decode::explicit_le::ExplicitVRLittleEndianDecoder;
use dicom_encoding::transfer_syntax::{Codec, Endianness, TransferSyntaxIndex};
use dicom_object::{FileMetaTable, InMemDicomObject};
use dicom_parser::stateful::decode::{Error as DecodeError, Result as DecodeResult};
use dicom_parser::{DynStatefulDecoder, StatefulDecode};
use dicom_transfer_syntax_registry::TransferSyntaxRegistry;

use crate::decimal::decimal_strings;
use crate::error::{DoseError, Result};

/// Where a reader takes its bytes from: a buffered file or a byte slice.
pub(crate) trait Source: BufRead + Seek {}

impl<T: BufRead + Seek> Source for T {}

/// A reader of one kind of RT object from a source of the given length in bytes.
pub(crate) type Reader<T> = fn(&str, &mut dyn Source, u64) -> Result<T>;

/// The read buffer of a file: few system calls for the pixel data, small enough to stay in
/// the CPU cache while the values are converted.
const FILE_BUFFER: usize = 64 * 1024;

/// Reads a file with `read`, naming it by its path.
pub(crate) fn read_file<T>(path: &std::path::Path, read: Reader<T>) -> Result<T> {
    let io_error = |message: String| DoseError::Io {
        path: path.display().to_string(),
        message,
    };
    let file = std::fs::File::open(path).map_err(|error| io_error(error.to_string()))?;
    let metadata = file
        .metadata()
        .map_err(|error| io_error(error.to_string()))?;
    if metadata.is_dir() {
        return Err(io_error("is a directory, expected a DICOM file".to_owned()));
    }
    read(
        &path.display().to_string(),
        &mut BufReader::with_capacity(FILE_BUFFER, file),
        metadata.len(),
    )
}

/// Reads the bytes of a file with `read`; `source_name` names them in errors.
pub(crate) fn read_bytes<T>(source_name: &str, bytes: &[u8], read: Reader<T>) -> Result<T> {
    read(source_name, &mut Cursor::new(bytes), bytes.len() as u64)
}

/// A parsed data set, up to its top-level PixelData element.
pub(crate) struct DataSet {
    /// Every element before PixelData (and PixelData itself, with an empty value when its
    /// value is left in the source).
    pub(crate) object: InMemDicomObject<StandardDataDictionary>,
    /// The top-level PixelData value, when it has a defined (native, not encapsulated) length.
    pub(crate) pixel_data: Option<PixelData>,
}

/// Where the value of the top-level PixelData element lies in the source.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PixelData {
    /// Offset of the value from the start of the source.
    pub(crate) offset: u64,
    /// Length of the value in bytes (at most what the source holds).
    pub(crate) length: u32,
    /// The element's value representation (OW in implicit VR transfer syntaxes).
    pub(crate) vr: VR,
    /// Whether the transfer syntax stores multi-byte values little-endian.
    pub(crate) little_endian: bool,
}

impl PixelData {
    /// Hands the first `length` bytes of the value (a multiple of `unit`, at most the value's
    /// length) to `convert`, in pieces of whole `unit`-byte values (`unit` at most 8).
    pub(crate) fn read_chunks(
        &self,
        source: &mut dyn Source,
        length: usize,
        unit: usize,
        mut convert: impl FnMut(&[u8]),
    ) -> std::io::Result<()> {
        source.seek(SeekFrom::Start(self.offset))?;
        let mut remaining = length;
        let mut straddling = [0u8; 8];
        while remaining > 0 {
            let buffered = source.fill_buf()?;
            if buffered.is_empty() {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            let whole = buffered.len().min(remaining) / unit * unit;
            if whole == 0 {
                // Less than one value left in the buffer: read that value across its end.
                source.read_exact(&mut straddling[..unit])?;
                convert(&straddling[..unit]);
                remaining -= unit;
            } else {
                convert(&buffered[..whole]);
                source.consume(whole);
                remaining -= whole;
            }
        }
        Ok(())
    }
}

/// Parses a DICOM Part 10 stream (with or without the 128-byte preamble) of `length` bytes,
/// starting at the source's beginning.
pub(crate) fn parse(source_name: &str, source: &mut dyn Source, length: u64) -> Result<DataSet> {
    let dicom_error = |message: String| DoseError::Dicom {
        source_name: source_name.to_owned(),
        message,
    };
    let io_error = |error: std::io::Error| dicom_error(error.to_string());
    let mut head = Vec::with_capacity(132);
    (&mut *source)
        .take(132)
        .read_to_end(&mut head)
        .map_err(io_error)?;
    let magic_offset = if head.get(128..132) == Some(b"DICM") {
        128
    } else if head.starts_with(b"DICM") {
        0
    } else {
        return Err(dicom_error(
            "no \"DICM\" magic at offset 0 or 128".to_owned(),
        ));
    };
    source
        .seek_relative(magic_offset as i64 + 4 - head.len() as i64)
        .map_err(io_error)?;
    let (meta_bytes, data_set_offset) =
        read_file_meta(source, magic_offset + 4, length).map_err(|error| match error {
            MetaError::Overrun(overrun) => dicom_error(overrun.describe(0)),
            MetaError::Io(error) => io_error(error),
        })?;
    let meta = FileMetaTable::from_reader(meta_bytes.as_slice())
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
    let decoder = DynStatefulDecoder::new_with(&mut *source, syntax, Default::default(), 0)
        .map_err(|error| dicom_error(error.to_string()))?;
    let mut guarded = Guarded {
        inner: decoder,
        length: length.saturating_sub(data_set_offset),
        overrun: None,
        scratch: Vec::new(),
        open: Vec::new(),
        pixel_data: None,
    };
    let object = InMemDicomObject::read_dataset_with_dict(&mut guarded, StandardDataDictionary);
    // An overrun comes first: after it the parser read clipped values, so its own error (if
    // any) is a consequence.
    if let Some(overrun) = guarded.overrun {
        return Err(dicom_error(overrun.describe(data_set_offset)));
    }
    let object = object.map_err(|error| dicom_error(error.to_string()))?;
    Ok(DataSet {
        object,
        pixel_data: guarded.pixel_data.map(|(header, position)| PixelData {
            offset: data_set_offset + position,
            length: header.len.0,
            vr: header.vr,
            little_endian: syntax.endianness() == Endianness::Little,
        }),
    })
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

/// Why the file meta group could not be read.
enum MetaError {
    Overrun(Overrun),
    Io(std::io::Error),
}

impl From<std::io::Error> for MetaError {
    fn from(error: std::io::Error) -> Self {
        MetaError::Io(error)
    }
}

/// Reads the file meta group (group 0002, explicit VR little endian) that starts at `start`,
/// checking that no meta element's length overruns the source's `length`: its bytes (from the
/// "DICM" magic on, as dicom-rs's meta reader takes them) and the offset where the data set
/// starts, at which the source is left.
fn read_file_meta(
    source: &mut dyn Source,
    start: u64,
    length: u64,
) -> std::result::Result<(Vec<u8>, u64), MetaError> {
    let decoder = ExplicitVRLittleEndianDecoder::default();
    let mut bytes = b"DICM".to_vec();
    let mut position = start;
    loop {
        // The longest explicit VR header is 12 bytes; fewer remain only at the end.
        let mut header_bytes = Vec::with_capacity(12);
        (&mut *source).take(12).read_to_end(&mut header_bytes)?;
        let is_meta = header_bytes.len() >= 2
            && u16::from_le_bytes([header_bytes[0], header_bytes[1]]) == 0x0002;
        let decoded = decoder.decode_header(&mut header_bytes.as_slice());
        let Some((header, header_length)) = decoded.ok().filter(|_| is_meta) else {
            // The data set starts here (or a broken meta header, which dicom-rs's meta reader
            // then reports). Relative seeks keep the file's read buffer.
            source.seek_relative(-(header_bytes.len() as i64))?;
            return Ok((bytes, position));
        };
        source.seek_relative(header_length as i64 - header_bytes.len() as i64)?;
        bytes.extend_from_slice(&header_bytes[..header_length]);
        let value_offset = position + header_length as u64;
        let available = length.saturating_sub(value_offset);
        let value_length = header.length().get().unwrap_or(0);
        if u64::from(value_length) > available {
            return Err(MetaError::Overrun(Overrun {
                tag: header.tag,
                length: value_length,
                offset: value_offset,
                available,
            }));
        }
        let read = (&mut *source)
            .take(u64::from(value_length))
            .read_to_end(&mut bytes)?;
        if read != value_length as usize {
            return Err(MetaError::Io(std::io::ErrorKind::UnexpectedEof.into()));
        }
        position = value_offset + u64::from(value_length);
    }
}

/// dicom-rs's stateful decoder with the changes of the module docs.
struct Guarded<D> {
    inner: D,
    /// Bytes in the data set.
    length: u64,
    /// The first overrun seen.
    overrun: Option<Overrun>,
    /// Reused buffer for DS values.
    scratch: Vec<u8>,
    /// The sequences and items open at the current position: where each ends, or `None` when
    /// its length is undefined (it ends at a delimiter). Mirrors dicom-rs's data set reader, so
    /// that a PixelData element is known to be at the top level.
    open: Vec<Option<u64>>,
    /// The top-level PixelData header with a defined length and the position of its value,
    /// once read: the data set ends there.
    pixel_data: Option<(DataElementHeader, u64)>,
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

    /// Opens a sequence or item of this length, starting at the current position.
    fn open(&mut self, length: Length) {
        let position = self.inner.position();
        self.open
            .push(length.get().map(|length| position + u64::from(length)));
    }

    /// Closes the defined-length sequences and items that end at or before the current
    /// position, as dicom-rs does before it reads the next header.
    fn close_ended(&mut self) {
        let position = self.inner.position();
        while let Some(Some(end)) = self.open.last() {
            if *end > position {
                break;
            }
            self.open.pop();
        }
    }

    /// Whether `header` is the top-level PixelData whose value stays in the source.
    fn is_left_in_source(&self, header: &DataElementHeader) -> bool {
        self.pixel_data
            .is_some_and(|(pixel_data, _)| pixel_data.tag == header.tag)
    }
}

impl<D: StatefulDecode> StatefulDecode for Guarded<D> {
    type Reader = D::Reader;

    fn decode_header(&mut self) -> DecodeResult<DataElementHeader> {
        if self.pixel_data.is_some() {
            // What dicom-rs's data set reader takes for the end of the data.
            return Err(DecodeError::DecodeElementHeader {
                position: self.inner.position(),
                source: dicom_encoding::decode::Error::ReadHeaderTag {
                    backtrace: None,
                    source: std::io::ErrorKind::UnexpectedEof.into(),
                },
            });
        }
        self.close_ended();
        let mut header = self.inner.decode_header()?;
        header.len = self.capped(header.tag, header.len);
        if header.tag == Tag(0xFFFE, 0xE00D) {
            // Item delimitation: the undefined-length item ends.
            self.open.pop();
        } else if header.vr == VR::SQ || header.len.is_undefined() {
            // dicom-rs reads every undefined-length element (encapsulated pixel data too) as a
            // sequence.
            self.open(header.len);
        } else if header.tag == tags::PIXEL_DATA && self.open.is_empty() {
            self.pixel_data = Some((header, self.inner.position()));
        }
        Ok(header)
    }

    fn decode_item_header(&mut self) -> DecodeResult<SequenceItemHeader> {
        self.close_ended();
        let header = self.inner.decode_item_header()?;
        Ok(match header {
            SequenceItemHeader::Item { len } => {
                let len = self.capped(Tag(0xFFFE, 0xE000), len);
                self.open(len);
                SequenceItemHeader::Item { len }
            }
            delimiter => {
                self.open.pop();
                delimiter
            }
        })
    }

    fn read_value(&mut self, header: &DataElementHeader) -> DecodeResult<PrimitiveValue> {
        if self.is_left_in_source(header) {
            return Ok(PrimitiveValue::Empty);
        }
        self.inner.read_value(header)
    }

    fn read_value_preserved(&mut self, header: &DataElementHeader) -> DecodeResult<PrimitiveValue> {
        if self.is_left_in_source(header) {
            return Ok(PrimitiveValue::Empty);
        }
        let Some(length) = header.length().get().filter(|_| header.vr == VR::DS) else {
            return self.inner.read_value_preserved(header);
        };
        self.scratch.clear();
        self.inner.read_to_vec(length, &mut self.scratch)?;
        Ok(decimal_strings(&self.scratch))
    }

    fn read_value_bytes(&mut self, header: &DataElementHeader) -> DecodeResult<PrimitiveValue> {
        if self.is_left_in_source(header) {
            return Ok(PrimitiveValue::Empty);
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A buffer smaller than a value makes values straddle its end: each still arrives whole,
    /// and the bytes arrive in order from the value's offset.
    #[test]
    fn pixel_chunks_hold_whole_values_across_buffer_ends() {
        let bytes: Vec<u8> = (0..=255).collect();
        let pixel_data = PixelData {
            offset: 3,
            length: 200,
            vr: VR::OW,
            little_endian: true,
        };
        for capacity in [1, 3, 5, 7, 64, 1024] {
            let mut source = BufReader::with_capacity(capacity, Cursor::new(&bytes));
            let mut received = Vec::new();
            pixel_data
                .read_chunks(&mut source, 196, 4, |chunk| {
                    assert_eq!(chunk.len() % 4, 0, "capacity {capacity}");
                    received.extend_from_slice(chunk);
                })
                .unwrap();
            assert_eq!(received, bytes[3..199], "capacity {capacity}");
        }
    }
}

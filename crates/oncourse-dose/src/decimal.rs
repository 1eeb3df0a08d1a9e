//! Decimal strings (DS): a value's bytes split at `\` and parsed in place, one allocation per
//! value rather than one `String` per number.
//!
//! Nearly every DS number of an RT object (ContourData, DVHData) is a short plain decimal such
//! as `-123.4567`. Those take the exact fast path of Clinger (1990), the one std's parser also
//! starts with: up to 15 digits make an integer that an `f64` holds exactly, and dividing it by
//! a power of ten that an `f64` holds exactly (10⁰ to 10²²) is one correctly rounded operation,
//! so the result is the correctly rounded value of the text, bit for bit what std's parser
//! returns. Everything else (exponents, more digits, `inf`) goes to std's parser.

use dicom_core::PrimitiveValue;

/// A DS value's bytes as numbers (`F64`), `Empty` when blank, or its text (`Str`) when some
/// part is not a decimal number.
pub(crate) fn decimal_strings(bytes: &[u8]) -> PrimitiveValue {
    // Padding (a space, or NUL written by some systems) is not part of the value.
    let end = bytes
        .iter()
        .rposition(|byte| !byte.is_ascii_whitespace() && *byte != 0)
        .map_or(0, |last| last + 1);
    let trimmed = &bytes[..end];
    if trimmed.is_empty() {
        return PrimitiveValue::Empty;
    }
    // One number per separator and one more: at most 8 bytes of numbers per byte of text.
    let separators = trimmed.iter().filter(|byte| **byte == b'\\').count();
    let mut numbers = Vec::with_capacity(separators + 1);
    for part in trimmed.split(|byte| *byte == b'\\') {
        match number(part) {
            Some(number) => numbers.push(number),
            None => return PrimitiveValue::Str(String::from_utf8_lossy(bytes).into_owned()),
        }
    }
    PrimitiveValue::F64(numbers.into())
}

/// One number of a DS value, spaces around it allowed; `None` when it is not a number.
fn number(part: &[u8]) -> Option<f64> {
    let part = part.trim_ascii();
    plain_decimal(part).or_else(|| std::str::from_utf8(part).ok()?.parse().ok())
}

/// The powers of ten that an `f64` holds exactly.
const EXACT_POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The most digits whose integer an `f64` holds exactly (10¹⁵ < 2⁵³).
const MAX_EXACT_DIGITS: usize = 15;

/// `[+|-]digits[.digits]` (digits on either side of the point) with at most
/// [`MAX_EXACT_DIGITS`] digits, correctly rounded; `None` for anything else.
fn plain_decimal(text: &[u8]) -> Option<f64> {
    let (negative, unsigned) = match text.first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let mut mantissa = 0u64;
    let mut digits = 0;
    let mut fraction_digits: Option<usize> = None;
    for byte in unsigned {
        match byte {
            b'0'..=b'9' if digits < MAX_EXACT_DIGITS => {
                mantissa = mantissa * 10 + u64::from(byte - b'0');
                digits += 1;
                if let Some(count) = &mut fraction_digits {
                    *count += 1;
                }
            }
            b'.' if fraction_digits.is_none() => fraction_digits = Some(0),
            _ => return None,
        }
    }
    if digits == 0 {
        return None;
    }
    // Exact: `mantissa` < 10¹⁵ < 2⁵³, and at most 15 fraction digits index the table.
    let magnitude = mantissa as f64 / EXACT_POWERS_OF_TEN[fraction_digits.unwrap_or(0)];
    Some(if negative { -magnitude } else { magnitude })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn values_split_parse_and_fall_back_to_their_text() {
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

    #[test]
    fn what_is_not_a_plain_decimal_goes_to_std() {
        for text in [
            "", "-", "+", ".", "-.", "1..2", "1.2.3", "1e3", "inf", "0x10", "1 2",
        ] {
            assert_eq!(plain_decimal(text.as_bytes()), None, "{text:?}");
        }
        // 16 digits: beyond the exact range.
        assert_eq!(plain_decimal(b"1234567890.123456"), None);
        assert_eq!(number(b" 1e3 "), Some(1000.0));
        assert_eq!(number(b"1234567890.123456"), Some(1234567890.123456));
        assert_eq!(number(b"1..2"), None);
    }

    proptest! {
        /// std's parser (correctly rounded, an independent implementation) is the reference:
        /// every plain decimal of up to 15 digits converts to the same bits, signed zeros too.
        #[test]
        fn plain_decimals_are_what_std_parses(
            sign in prop::sample::select(vec!["", "-", "+"]),
            integer in "[0-9]{0,8}",
            fraction in prop::option::of("[0-9]{0,7}"),
        ) {
            let text = match &fraction {
                Some(fraction) => format!("{sign}{integer}.{fraction}"),
                None => format!("{sign}{integer}"),
            };
            let digits = integer.len() + fraction.as_ref().map_or(0, String::len);
            let ours = plain_decimal(text.as_bytes());
            if digits == 0 {
                prop_assert_eq!(ours, None);
            } else {
                let std: f64 = text.parse().unwrap();
                prop_assert_eq!(ours.map(f64::to_bits), Some(std.to_bits()), "{}", text);
            }
        }
    }
}

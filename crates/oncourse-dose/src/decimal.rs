//! Decimal strings (DS): a value's bytes parsed in one pass, one allocation per value rather
//! than one `String` per number.
//!
//! Nearly every DS number of an RT object (ContourData, DVHData) is a short decimal such as
//! `-123.4567` or `1.0e-2`. Those take the exact fast path of Clinger (1990), the one std's
//! parser also starts with: up to 15 digits make an integer that an `f64` holds exactly, and
//! dividing or multiplying it by a power of ten that an `f64` holds exactly (10⁰ to 10²²) is one
//! correctly rounded operation, so the result is the correctly rounded value of the text, bit
//! for bit what std's parser returns. These numbers are scanned straight through to the `\`
//! that ends them, each byte looked at once; a number with anything else in it (spaces, more
//! digits, larger exponents, `inf`) is split off, trimmed and given to std's parser.

use dicom_core::PrimitiveValue;

/// A DS value's bytes as numbers (`F64`), `Empty` when blank, or its text (`Str`) when some
/// part is not a decimal number.
pub(crate) fn decimal_strings(bytes: &[u8]) -> PrimitiveValue {
    // Padding (a space, or NUL written by some systems) is not part of the value.
    let end = bytes
        .iter()
        .rposition(|byte| !byte.is_ascii_whitespace() && *byte != 0)
        .map_or(0, |last| last + 1);
    let mut rest = &bytes[..end];
    if rest.is_empty() {
        return PrimitiveValue::Empty;
    }
    // Filled in place: one number per separator and one more, or the value is not numbers.
    let mut numbers = vec![0.0; separators(rest) + 1];
    let mut slots = numbers.iter_mut();
    loop {
        // `end` is the length of the number's text: `rest` ends there or has a `\` there.
        let (number, end) = match plain_decimal(rest) {
            Some(parsed) => parsed,
            None => {
                let end = rest
                    .iter()
                    .position(|byte| *byte == b'\\')
                    .unwrap_or(rest.len());
                match other_number(&rest[..end]) {
                    Some(number) => (number, end),
                    None => {
                        return PrimitiveValue::Str(String::from_utf8_lossy(bytes).into_owned());
                    }
                }
            }
        };
        if let Some(slot) = slots.next() {
            *slot = number;
        }
        match rest.get(end + 1..) {
            Some(after) => rest = after,
            None => return PrimitiveValue::F64(numbers.into()),
        }
    }
}

/// How many `\` the text holds, counted in blocks small enough for a `u8` count per block,
/// which the compiler turns into wide byte compares.
fn separators(text: &[u8]) -> usize {
    text.chunks(255)
        .map(|block| {
            let count: u8 = block.iter().map(|byte| u8::from(*byte == b'\\')).sum();
            usize::from(count)
        })
        .sum()
}

/// A number that is not a plain decimal, spaces around it allowed: std's parser; `None` when it
/// is not a number.
fn other_number(part: &[u8]) -> Option<f64> {
    std::str::from_utf8(part.trim_ascii()).ok()?.parse().ok()
}

/// The powers of ten that an `f64` holds exactly.
const EXACT_POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The most digits whose integer an `f64` holds exactly (10¹⁵ < 2⁵³).
const MAX_EXACT_DIGITS: usize = 15;

/// The text's leading `[+|-]digits[.digits][(e|E)[+|-]digits]` (digits on either side of the
/// point, at most [`MAX_EXACT_DIGITS`] of them, and a power of ten an `f64` holds exactly),
/// correctly rounded, and the length of that text, when the text ends there or continues with
/// `\`; `None` for anything else.
fn plain_decimal(text: &[u8]) -> Option<(f64, usize)> {
    let (negative, start) = match text.first()? {
        b'-' => (true, 1),
        b'+' => (false, 1),
        _ => (false, 0),
    };
    let (mantissa, exponent, end) = decimal_parts(text, start)?;
    let power = *EXACT_POWERS_OF_TEN.get(exponent.unsigned_abs() as usize)?;
    // Exact: `mantissa` < 10¹⁵ < 2⁵³ (so also as an `i64`, which converts in one instruction),
    // and so is the power: one correctly rounded operation.
    let mantissa = mantissa as i64 as f64;
    let magnitude = if exponent < 0 {
        mantissa / power
    } else {
        mantissa * power
    };
    Some((if negative { -magnitude } else { magnitude }, end))
}

/// `digits[.digits][(e|E)[+|-]digits]` from `start`: the digits as an integer, the power of ten
/// to scale it by and the length of the text, when it ends there or continues with `\` and has
/// at most [`MAX_EXACT_DIGITS`] digits before the exponent and at most three in it.
fn decimal_parts(text: &[u8], start: usize) -> Option<(u64, i32, usize)> {
    let (mantissa, integer_end) = digits(text, start, 0);
    let (mantissa, end, fraction_digits) = if text.get(integer_end) == Some(&b'.') {
        let (mantissa, end) = digits(text, integer_end + 1, mantissa);
        (mantissa, end, end - integer_end - 1)
    } else {
        (mantissa, integer_end, 0)
    };
    let digit_count = integer_end - start + fraction_digits;
    if digit_count == 0 || digit_count > MAX_EXACT_DIGITS {
        return None;
    }
    let (exponent, end) = match text.get(end) {
        None | Some(b'\\') => (0, end),
        Some(b'e' | b'E') => {
            let (exponent, end) = exponent(text, end + 1)?;
            if !matches!(text.get(end), None | Some(b'\\')) {
                return None;
            }
            (exponent, end)
        }
        _ => return None,
    };
    // At most 15 fraction digits.
    Some((mantissa, exponent - fraction_digits as i32, end))
}

/// `[+|-]digits` from `start`, one to three digits: the exponent and where it ends.
fn exponent(text: &[u8], start: usize) -> Option<(i32, usize)> {
    let (negative, start) = match text.get(start) {
        Some(b'-') => (true, start + 1),
        Some(b'+') => (false, start + 1),
        _ => (false, start),
    };
    let (value, end) = digits(text, start, 0);
    if end == start || end - start > 3 {
        return None;
    }
    // Below 1000.
    let value = value as i32;
    Some((if negative { -value } else { value }, end))
}

/// Appends the decimal digits from `start` on to `mantissa`: the result and where the digits
/// end. Wrapping, so that a long run of digits cannot overflow: the caller rejects more than
/// [`MAX_EXACT_DIGITS`].
fn digits(text: &[u8], start: usize, mut mantissa: u64) -> (u64, usize) {
    let mut end = start;
    while let Some(digit) = text
        .get(end)
        .map(|byte| byte.wrapping_sub(b'0'))
        .filter(|digit| *digit < 10)
    {
        mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(digit));
        end += 1;
    }
    (mantissa, end)
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
        assert_eq!(
            decimal_strings(b"1\\"),
            PrimitiveValue::Str("1\\".to_owned())
        );
        assert_eq!(
            decimal_strings(b"\\1"),
            PrimitiveValue::Str("\\1".to_owned())
        );
    }

    #[test]
    fn separators_are_counted_across_blocks() {
        let text: Vec<u8> = (0..1000)
            .map(|index| if index % 3 == 0 { b'\\' } else { b'7' })
            .collect();
        assert_eq!(separators(&text), 334);
        assert_eq!(separators(&[b'\\'; 600]), 600);
        assert_eq!(separators(b""), 0);
    }

    #[test]
    fn what_is_not_a_plain_decimal_goes_to_std() {
        for text in [
            "", "-", "+", ".", "-.", "1..2", "1.2.3", "inf", "0x10", "1 2", " 1", "1 ", "\\1",
        ] {
            assert_eq!(plain_decimal(text.as_bytes()), None, "{text:?}");
        }
        // 16 digits, powers of ten beyond 10²², four exponent digits: beyond the exact range.
        assert_eq!(plain_decimal(b"1234567890.123456"), None);
        for text in [
            "1e23", "1.5e-22", "1e0001", "1e", "1e+", "1e-\\2", "1e2.5", "e2",
        ] {
            assert_eq!(plain_decimal(text.as_bytes()), None, "{text:?}");
        }
        assert_eq!(plain_decimal(b"1.0e-2\\7"), Some((0.01, 6)));
        assert_eq!(plain_decimal(b"-25E+3"), Some((-25000.0, 6)));
        assert_eq!(plain_decimal(b"1.5e-21"), Some((1.5e-21, 7)));
        assert_eq!(plain_decimal(b"3e22"), Some((3e22, 4)));
        assert_eq!(plain_decimal(b"-12.5\\3"), Some((-12.5, 5)));
        assert_eq!(plain_decimal(b"7.\\"), Some((7.0, 2)));
        assert_eq!(other_number(b" 1e3 "), Some(1000.0));
        assert_eq!(other_number(b"1234567890.123456"), Some(1234567890.123456));
        assert_eq!(other_number(b"1..2"), None);
    }

    /// The definition the one-pass parser must agree with: split at `\`, trim each part and
    /// parse it with std's parser (an independent, correctly rounded implementation), the
    /// value's text when a part does not parse.
    fn split_and_parse(bytes: &[u8]) -> PrimitiveValue {
        let text = String::from_utf8_lossy(bytes);
        let value = text.trim_end_matches(|c: char| c.is_ascii_whitespace() || c == '\0');
        if value.is_empty() {
            return PrimitiveValue::Empty;
        }
        match value
            .split('\\')
            .map(|part| part.trim_ascii().parse::<f64>())
            .collect::<Result<Vec<_>, _>>()
        {
            Ok(numbers) => PrimitiveValue::F64(numbers.into()),
            Err(_) => PrimitiveValue::Str(text.into_owned()),
        }
    }

    /// Bits rather than `==`, so that signed zeros and NaNs count.
    fn bits(value: &PrimitiveValue) -> Result<Vec<u64>, String> {
        match value {
            PrimitiveValue::F64(numbers) => Ok(numbers.iter().map(|n| n.to_bits()).collect()),
            other => Err(format!("{other:?}")),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        /// std's parser is the reference: every plain decimal of up to 15 digits converts to
        /// the same bits, signed zeros too, and its length is the whole text.
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
                prop_assert_eq!(
                    ours.map(|(number, end)| (number.to_bits(), end)),
                    Some((std.to_bits(), text.len())),
                    "{}", text
                );
                // Followed by more numbers.
                let followed = format!("{text}\\0000000");
                prop_assert_eq!(
                    plain_decimal(followed.as_bytes()).map(|(number, end)| (number.to_bits(), end)),
                    Some((std.to_bits(), text.len())),
                    "{}", followed
                );
            }
        }

        /// Exponents up to three digits, with up to 15 digits before them: the same bits as
        /// std's parser, or std's parser decides.
        #[test]
        fn exponents_are_what_std_parses(
            sign in prop::sample::select(vec!["", "-", "+"]),
            integer in "[0-9]{0,8}",
            fraction in "[0-9]{0,7}",
            e in prop::sample::select(vec!["e", "E"]),
            exponent_sign in prop::sample::select(vec!["", "-", "+"]),
            exponent in "[0-9]{1,3}",
        ) {
            prop_assume!(!(integer.is_empty() && fraction.is_empty()));
            let text = format!("{sign}{integer}.{fraction}{e}{exponent_sign}{exponent}");
            let std: f64 = text.parse().unwrap();
            if let Some((ours, end)) = plain_decimal(text.as_bytes()) {
                prop_assert_eq!((ours.to_bits(), end), (std.to_bits(), text.len()), "{}", text);
            }
            let ours = decimal_strings(text.as_bytes());
            prop_assert_eq!(bits(&ours), Ok(vec![std.to_bits()]), "{}", text);
        }

        /// Whole values of plain decimals, padded ones, long ones, exponents, special values
        /// and broken parts: the same numbers, bit for bit, or the same text as splitting and
        /// parsing each part with std.
        #[test]
        fn values_are_what_splitting_and_std_give(
            parts in prop::collection::vec(
                prop::sample::select(vec![
                    "[+-]?[0-9]{1,8}(\\.[0-9]{0,7})?",
                    "[+-]?[0-9]{0,9}\\.[0-9]{1,12}",
                    "[+-]?[0-9]{1,3}(\\.[0-9]{1,4})?[eE][+-]?[0-9]{1,3}",
                    "[+-]?[0-9]{0,3}\\.?[0-9]{0,13}[eE][+-]?[0-9]{0,4}",
                    " {0,2}[+-]?[0-9]{1,4}\\.[0-9]{1,3} {0,2}",
                    "(inf|NaN|-infinity|\\.|-|1\\.2\\.3|x|)",
                    "[0-9 .eE+-]{0,6}",
                ])
                .prop_flat_map(|pattern| proptest::string::string_regex(pattern).unwrap()),
                1..8,
            ),
            padding in "[ \\x00]{0,2}",
        ) {
            let text = format!("{}{padding}", parts.join("\\"));
            let ours = decimal_strings(text.as_bytes());
            let reference = split_and_parse(text.as_bytes());
            prop_assert_eq!(bits(&ours), bits(&reference), "{:?}", text);
        }
    }
}

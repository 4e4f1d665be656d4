//! Percent-encoding (RFC 3986 §2.1) and strict form decoding (RFC 6749 App. B).
//!
//! The only file naming `percent_encoding`, whose `%HH` table the encoder uses. Decoding is a small iterator
//! of our own: form decoding must tell a `+` (a space) from a `%2B` (a plus), which
//! `percent_decode` cannot once it has decoded, and splitting on `+` first cost 3× in the
//! fragment benchmark. [`validate`] rejects malformed escapes before anything is decoded.

use core::fmt;

use percent_encoding::percent_encode_byte;

use crate::codec::scan::all_bytes;

/// Why a value is not strict form-encoding, or does not fit the buffer it is decoded into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PercentError {
    /// A raw character that a URI fragment, query or form body cannot hold (RFC 3986 §3.5).
    InvalidCharacter,
    /// A `%` not followed by two hex digits.
    Malformed,
    /// Decoded octets that are not UTF-8.
    InvalidUtf8,
    /// The output buffer is too short; `required` is the decoded length.
    BufferTooSmall {
        /// Bytes the decoded value needs.
        required: usize,
    },
}

/// RFC 3986 `unreserved`: `ALPHA / DIGIT / "-" / "." / "_" / "~"`.
pub(crate) const fn is_unreserved(b: u8) -> bool {
    ((b | 0x20).wrapping_sub(b'a') <= b'z' - b'a')
        | (b.wrapping_sub(b'0') <= 9)
        | (b == b'-')
        | (b == b'.')
        | (b == b'_')
        | (b == b'~')
}

/// Passes `value` percent-encoded as a query component to `put`, in pieces: runs of
/// `unreserved` characters as they are, every other byte as `%HH` (uppercase, so a space is
/// `%20`). A value that needs no escape (a `state`, a `client_id`) is one piece.
pub(crate) fn encode(value: &str, mut put: impl FnMut(&str) -> fmt::Result) -> fmt::Result {
    if all_bytes(value.as_bytes(), is_unreserved) {
        return put(value);
    }
    let mut start = 0;
    for (i, b) in value.bytes().enumerate() {
        if !UNRESERVED.get(usize::from(b)).copied().unwrap_or(false) {
            // A non-empty run is ASCII and starts after ASCII: on character boundaries.
            if let Some(run) = value.get(start..i).filter(|run| !run.is_empty()) {
                put(run)?;
            }
            put(percent_encode_byte(b))?;
            start = i.saturating_add(1);
        }
    }
    match value.get(start..) {
        Some(run) if !run.is_empty() => put(run),
        _ => Ok(()),
    }
}

/// Writes `value` [`encode`]d at the start of `out` and returns the length written, or
/// `None` (with a prefix of `out` overwritten) when `out` is too short.
pub(crate) fn encode_into(value: &str, out: &mut [u8]) -> Option<usize> {
    let mut len = 0;
    for &b in value.as_bytes() {
        let end = if UNRESERVED.get(usize::from(b)).copied().unwrap_or(false) {
            *out.get_mut(len)? = b;
            len.checked_add(1)?
        } else {
            let end = len.checked_add(3)?;
            out.get_mut(len..end)?
                .copy_from_slice(percent_encode_byte(b).as_bytes().get(..3)?);
            end
        };
        len = end;
    }
    Some(len)
}

/// The length of `value` once [`encode`]d: each escaped byte takes three.
pub(crate) fn encoded_len(value: &str) -> usize {
    if all_bytes(value.as_bytes(), is_unreserved) {
        return value.len();
    }
    let escaped = value
        .bytes()
        .filter(|&b| !UNRESERVED.get(usize::from(b)).copied().unwrap_or(false))
        .count();
    value.len().saturating_add(escaped.saturating_mul(2))
}

/// [`is_unreserved`] as a table, for the byte-at-a-time encoder.
// Evaluated at compile time, where an index out of bounds fails the build.
#[allow(clippy::indexing_slicing)]
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = is_unreserved(b as u8);
        b += 1;
    }
    table
};

/// A raw character allowed in a URI fragment or query (RFC 3986 §3.4, §3.5), `%` aside:
/// `unreserved / sub-delims / ":" / "@" / "/" / "?"`. Written as range tests (no table, no
/// branch) so that a scan over a whole value vectorizes.
pub(crate) const fn is_uri_char(b: u8) -> bool {
    // ! | $ & ' ( ) * + , - . / 0-9 : ; | = | ? @ A-Z | _ | a-z | ~
    (b == b'!')
        | (b.wrapping_sub(b'$') <= b';' - b'$') & (b != b'%')
        | (b == b'=')
        | (b.wrapping_sub(b'?') <= b'Z' - b'?')
        | (b == b'_')
        | (b.wrapping_sub(b'a') <= b'z' - b'a')
        | (b == b'~')
}

/// Checks that `raw` holds only URI characters and well-formed `%HH` escapes, and that it
/// decodes to UTF-8.
///
/// # Errors
/// [`PercentError::InvalidCharacter`], [`PercentError::Malformed`] or
/// [`PercentError::InvalidUtf8`].
pub(crate) fn validate(raw: &str) -> Result<(), PercentError> {
    // Tokens carry no escape: one vectorized pass proves them.
    if all_bytes(raw.as_bytes(), is_uri_char) {
        return Ok(());
    }
    let mut bytes = raw.as_bytes().iter();
    while let Some(&b) = bytes.next() {
        if b == b'%' {
            if !is_hex_pair(bytes.as_slice().get(..2)) {
                return Err(PercentError::Malformed);
            }
            bytes.nth(1);
        } else if !is_uri_char(b) {
            return Err(PercentError::InvalidCharacter);
        }
    }
    // Raw URI characters are ASCII and there was an escape: only escapes can make invalid UTF-8.
    if !is_utf8(decoded(raw)) {
        return Err(PercentError::InvalidUtf8);
    }
    Ok(())
}

/// The two bytes after a `%`, when they are both hex digits (RFC 3986 §2.1).
pub(crate) fn is_hex_pair(pair: Option<&[u8]>) -> bool {
    matches!(pair, Some([h, l]) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit())
}

/// The form-decoded bytes of a [`validate`]d value: `+` is a space, `%HH` an octet.
pub(crate) fn decoded(raw: &str) -> Decoded<'_> {
    Decoded(raw.as_bytes().iter())
}

/// The iterator of [`decoded`]. A `%` not followed by two hex digits (never in a validated
/// value) passes through as itself, as `percent_encoding::percent_decode` does.
#[derive(Clone)]
pub(crate) struct Decoded<'a>(core::slice::Iter<'a, u8>);

impl Iterator for Decoded<'_> {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        let b = *self.0.next()?;
        Some(match b {
            b'+' => b' ',
            b'%' => {
                let mut ahead = self.0.clone();
                let digit = |d: Option<&u8>| d.and_then(|&d| char::from(d).to_digit(16));
                match (digit(ahead.next()), digit(ahead.next())) {
                    (Some(h), Some(l)) => {
                        self.0 = ahead;
                        // Two hex digits make at most 0xFF.
                        u8::try_from((h << 4) | l).unwrap_or(b'%')
                    }
                    _ => b'%',
                }
            }
            b => b,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let len = self.0.len();
        (len.div_ceil(3), Some(len))
    }
}

/// True when [`decoded`] would yield `raw` itself (no `+` and no `%`).
pub(crate) fn is_verbatim(raw: &str) -> bool {
    all_bytes(raw.as_bytes(), |b| (b != b'+') & (b != b'%'))
}

/// Decodes a [`validate`]d value into `out`.
///
/// # Errors
/// [`PercentError::BufferTooSmall`] with the decoded length if `out` is too short;
/// [`PercentError::InvalidUtf8`] if `raw` was not validated and decodes to something else.
pub(crate) fn decode_into<'o>(raw: &str, out: &'o mut [u8]) -> Result<&'o str, PercentError> {
    let required = decoded(raw).count();
    let dst = out
        .get_mut(..required)
        .ok_or(PercentError::BufferTooSmall { required })?;
    dst.iter_mut().zip(decoded(raw)).for_each(|(d, s)| *d = s);
    core::str::from_utf8(dst).map_err(|_| PercentError::InvalidUtf8)
}

/// Streaming UTF-8 validation (RFC 3629 §4: no overlongs, no surrogates, nothing past U+10FFFF).
pub(crate) fn is_utf8(bytes: impl Iterator<Item = u8>) -> bool {
    // Continuation bytes still expected, and the allowed range of the next one.
    let mut pending = 0u8;
    let mut next = 0x80..=0xBF;
    for b in bytes {
        if pending > 0 {
            if !next.contains(&b) {
                return false;
            }
            pending = pending.saturating_sub(1);
            next = 0x80..=0xBF;
            continue;
        }
        (pending, next) = match b {
            0x00..=0x7F => (0, 0x80..=0xBF),
            0xC2..=0xDF => (1, 0x80..=0xBF),
            0xE0 => (2, 0xA0..=0xBF),
            0xED => (2, 0x80..=0x9F),
            0xE1..=0xEC | 0xEE..=0xEF => (2, 0x80..=0xBF),
            0xF0 => (3, 0x90..=0xBF),
            0xF1..=0xF3 => (3, 0x80..=0xBF),
            0xF4 => (3, 0x80..=0x8F),
            _ => return false,
        };
    }
    pending == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(raw: &str) -> Result<std::string::String, PercentError> {
        validate(raw)?;
        let bytes: std::vec::Vec<u8> = decoded(raw).collect();
        Ok(std::string::String::from_utf8(bytes).unwrap())
    }

    #[test]
    fn rfc6749_appendix_b_both_forms_decode_to_the_same_code_points() {
        let value = " %&+\u{a3}\u{20ac}";
        let mut encoded = std::string::String::new();
        encode(value, |piece| {
            encoded.push_str(piece);
            Ok(())
        })
        .unwrap();
        assert_eq!(encoded, "%20%25%26%2B%C2%A3%E2%82%AC");
        assert_eq!(encoded_len(value), encoded.len());
        let mut out = [0u8; 27];
        assert_eq!(encode_into(value, &mut out), Some(27));
        assert_eq!(&out[..], encoded.as_bytes());
        assert_eq!(encode_into(value, &mut out[..26]), None);
        assert_eq!(decode("%20%25%26%2B%C2%A3%E2%82%AC").unwrap(), value);
        assert_eq!(decode("+%25%26%2B%C2%A3%E2%82%AC").unwrap(), value);
    }

    #[test]
    fn rfc6749_appendix_b_plus_lowercase_hex_and_names() {
        assert_eq!(decode("a+b").unwrap(), "a b");
        assert_eq!(decode("a%2Bb").unwrap(), "a+b");
        assert_eq!(decode("%4d%4D").unwrap(), "MM");
        assert_eq!(decode("st%61te").unwrap(), "state");
    }

    #[test]
    fn rfc3986_2_1_malformed_escapes_are_rejected() {
        for raw in ["%", "%4", "%zz", "%%41", "%2sf"] {
            assert_eq!(decode(raw), Err(PercentError::Malformed), "{raw}");
        }
    }

    #[test]
    fn rfc3986_2_5_invalid_utf8_is_rejected() {
        for raw in [
            "%C3%28",
            "%C2",
            "%FF%FE",
            "%C0%AF",
            "%ED%A0%80",
            "%F4%90%80%80",
        ] {
            assert_eq!(decode(raw), Err(PercentError::InvalidUtf8), "{raw}");
        }
        assert_eq!(decode("%F0%9F%98%80").unwrap(), "\u{1F600}");
    }

    #[test]
    fn rfc3986_3_5_raw_characters_outside_a_fragment_are_rejected() {
        for raw in ["a b", "a\"b", "<", ">", "`", "#", "\u{e9}"] {
            assert_eq!(decode(raw), Err(PercentError::InvalidCharacter), "{raw:?}");
        }
    }

    #[test]
    fn decode_into_reports_the_exact_size() {
        let mut small = [0u8; 2];
        assert_eq!(
            decode_into("a%20b", &mut small),
            Err(PercentError::BufferTooSmall { required: 3 })
        );
        let mut out = [0u8; 3];
        assert_eq!(decode_into("a%20b", &mut out).unwrap(), "a b");
    }
}

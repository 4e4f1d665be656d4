//! Strict JSON (RFC 8259) for JOSE headers, claims and JWKs, in two parts:
//! [`canonical`] validates and writes the canonical copy (and is the only file naming
//! `serde_json_core`); [`walk`] reads members and elements out of validated text.

mod canonical;
mod walk;

pub(crate) use canonical::{Names, canonical_len, canonicalize, canonicalize_with, deserialize};
#[cfg_attr(
    not(any(feature = "rsa", feature = "ecdsa", feature = "eddsa")),
    allow(unused_imports)
)] // JWKs only
pub(crate) use canonical::{canonical_str, validate};
pub(crate) use walk::{Value, elements, members};

/// Why JSON text is refused, or does not fit the buffer it is written into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum JsonError {
    /// Not strict RFC 8259 JSON (also: invalid escapes, lone surrogates, raw control characters).
    Invalid,
    /// Valid JSON, but not an object where one is required.
    NotObject,
    /// Nesting deeper than [`MAX_JSON_DEPTH`](crate::limits::MAX_JSON_DEPTH).
    DepthLimit,
    /// More top-level members than [`MAX_JSON_MEMBERS`](crate::limits::MAX_JSON_MEMBERS).
    TooManyMembers,
    /// A top-level member name appears twice (compared after unescaping).
    DuplicateMember,
    /// The output buffer is shorter than the canonical text.
    OutputTooShort,
    /// Canonical JSON that does not fit the type asked for.
    Deserialize,
}

/// Whether `b` is JSON's insignificant whitespace (RFC 8259 §2).
const fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

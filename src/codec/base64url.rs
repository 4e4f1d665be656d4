//! Base64url without padding (RFC 4648 §5, RFC 7515 §2), strict: padding, whitespace,
//! other alphabets and non-canonical trailing bits are refused.
//!
//! The only file naming `base64ct`, which encodes the secrets (`state`, `nonce`) in constant
//! time. Decoding only ever sees public or integrity-protected text (JWS segments, public JWK
//! members), so it uses a lookup table: about 4× faster than constant-time arithmetic,
//! and the decoding of ID tokens is on every login's path.

use base64ct::{Base64UrlUnpadded, Encoding};

/// Why text is not strict base64url, or does not fit the buffer it is decoded into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Base64Error {
    /// Not strict, unpadded, canonical base64url.
    Invalid,
    /// The output buffer is too short; `required` is the exact length needed.
    BufferTooSmall {
        /// Bytes the output needs.
        required: usize,
    },
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The 6-bit value of each base64url character; `INVALID` for every other byte.
// Evaluated at compile time, where an index out of bounds fails the build.
#[allow(clippy::indexing_slicing)]
const SEXTETS: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < ALPHABET.len() {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};
const INVALID: u8 = 0x80;

fn sextet(c: u8) -> u32 {
    // A u8 always indexes a 256-entry table: the fallback is never taken.
    u32::from(SEXTETS.get(usize::from(c)).copied().unwrap_or(INVALID))
}

/// Decodes `s` into the start of `out` and returns that part.
///
/// # Errors
/// [`Base64Error::Invalid`]; [`Base64Error::BufferTooSmall`] when `out` is short.
pub(crate) fn decode_into<'o>(s: &str, out: &'o mut [u8]) -> Result<&'o mut [u8], Base64Error> {
    let required = decoded_len(s)?;
    let dst = out
        .get_mut(..required)
        .ok_or(Base64Error::BufferTooSmall { required })?;
    let (quads, tail) = s.as_bytes().as_chunks::<4>();
    let (triples, rest) = dst.as_chunks_mut::<3>();
    // Every sextet is OR-ed in: one test at the end finds any invalid character (bit 7).
    let mut seen = 0u32;
    for (quad, triple) in quads.iter().zip(triples.iter_mut()) {
        let [a, b, c, d] = quad.map(sextet);
        seen |= a | b | c | d;
        let word = a << 18 | b << 12 | c << 6 | d;
        let [_, x, y, z] = word.to_be_bytes();
        *triple = [x, y, z];
    }
    // 2 or 3 characters left carry 1 or 2 bytes; the bits below those must be zero.
    let (word, unused) = match *tail {
        [] => (0, 0),
        [a, b] => (sextet(a) << 18 | sextet(b) << 12, 0xFFFF),
        [a, b, c] => (sextet(a) << 18 | sextet(b) << 12 | sextet(c) << 6, 0xFF),
        _ => return Err(Base64Error::Invalid),
    };
    seen |= tail.iter().fold(0, |acc, &c| acc | sextet(c));
    let [_, x, y, _] = word.to_be_bytes();
    rest.iter_mut()
        .zip([x, y])
        .for_each(|(slot, byte)| *slot = byte);
    if seen & u32::from(INVALID) != 0 || word & unused != 0 {
        return Err(Base64Error::Invalid);
    }
    Ok(dst)
}

/// The decoded length of `s`, from its length alone.
///
/// # Errors
/// [`Base64Error::Invalid`] for a length no unpadded base64url text has (`4n + 1`).
pub(crate) fn decoded_len(s: &str) -> Result<usize, Base64Error> {
    len_decoded(s.len())
}

/// The decoded length of `len` characters of unpadded base64url.
///
/// # Errors
/// As [`decoded_len`].
pub(crate) fn len_decoded(len: usize) -> Result<usize, Base64Error> {
    let (full, rest) = (len / 4, len % 4);
    let tail = match rest {
        0 => 0,
        2 => 1,
        3 => 2,
        _ => return Err(Base64Error::Invalid),
    };
    full.checked_mul(3)
        .and_then(|n| n.checked_add(tail))
        .ok_or(Base64Error::Invalid)
}

/// Encodes `bytes` into `out`.
///
/// # Errors
/// [`Base64Error::BufferTooSmall`] with the encoded length if `out` is too short.
pub(crate) fn encode_into<'o>(bytes: &[u8], out: &'o mut [u8]) -> Result<&'o str, Base64Error> {
    Base64UrlUnpadded::encode(bytes, out).map_err(|_| Base64Error::BufferTooSmall {
        required: Base64UrlUnpadded::encoded_len(bytes),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_decoding() {
        let mut out = [0u8; 16];
        assert_eq!(decode_into("aGk", &mut out).unwrap(), b"hi");
        for bad in ["aGk=", "aG k", "a+/A", "aGl", "a", "aGk\u{80}", "aG\u{e9}"] {
            assert!(decode_into(bad, &mut out).is_err(), "{bad}");
        }
        let mut buf = [0u8; 4];
        assert_eq!(decode_into("_-8", &mut buf).unwrap(), [0xFF, 0xEF]);
        assert_eq!(encode_into(b"hi", &mut buf).unwrap(), "aGk");
        assert_eq!(
            encode_into(b"hello", &mut buf),
            Err(Base64Error::BufferTooSmall { required: 7 })
        );
    }

    /// The table decoder agrees with base64ct's constant-time one, on success and on failure.
    #[test]
    fn agrees_with_base64ct() {
        const CHARS: &[u8] = b"AQgw_-9zaZ0=+/ .\x7f";
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..if cfg!(miri) { 300 } else { 50_000 } {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 13) as usize;
            let text: std::string::String = (0..len)
                .map(|i| char::from(CHARS[(seed >> (8 + 4 * i)) as usize % CHARS.len()]))
                .collect();
            let (mut ours, mut theirs) = ([0u8; 16], [0u8; 16]);
            let ours = decode_into(&text, &mut ours).map(|b| b.to_vec()).ok();
            let theirs = Base64UrlUnpadded::decode(&text, &mut theirs)
                .map(|b| b.to_vec())
                .ok();
            assert_eq!(ours, theirs, "{text:?}");
        }
    }
}

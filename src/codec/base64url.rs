//! Base64url without padding (RFC 4648 §5, RFC 7515 §2), strict: padding, whitespace,
//! other alphabets and non-canonical trailing bits are refused.
//!
//! The only file naming `base64ct`, which encodes the secrets (`state`, `nonce`) in constant
//! time. Decoding only ever sees public or integrity-protected text (JWS segments, public JWK
//! members), so it uses a lookup table: about 4× faster than constant-time arithmetic,
//! and the decoding of ID tokens is on every login's path.

use base64ct::{Base64UrlUnpadded, Encoding};
#[cfg(feature = "code")]
use core::fmt;

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

/// Eight base64url characters as the 48 bits they carry, their sextets OR-ed into `seen`.
fn word(chars: &[u8; 8], seen: &mut u32) -> u64 {
    chars.iter().fold(0u64, |word, &c| {
        let v = sextet(c);
        *seen |= v;
        word << 6 | u64::from(v)
    })
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
    // Eight characters (six bytes) at a time in a `u64`; the last 0 to 7 characters padded
    // with `A` (sextet 0) to eight. Every sextet is OR-ed into `seen`: one test at the end
    // finds any invalid character (bit 7; it garbles the output, which is then not returned).
    let (octets, rest) = s.as_bytes().as_chunks::<8>();
    let (sixes, last_out) = dst.as_chunks_mut::<6>();
    let mut seen = 0u32;
    for (octet, six) in octets.iter().zip(sixes.iter_mut()) {
        let [_, _, bytes @ ..] = word(octet, &mut seen).to_be_bytes();
        *six = bytes;
    }
    let mut padded = [b'A'; 8];
    padded.iter_mut().zip(rest).for_each(|(slot, &c)| *slot = c);
    let last = word(&padded, &mut seen);
    let [_, _, bytes @ ..] = last.to_be_bytes();
    last_out
        .iter_mut()
        .zip(bytes)
        .for_each(|(slot, byte)| *slot = byte);
    // The bits after the last whole byte must be zero (canonical text, RFC 4648 §3.5): the
    // low 48 - 8n bits of the last word when n bytes come out of it (the padding is zeros).
    let used = u32::try_from(last_out.len()).unwrap_or(0).saturating_mul(8);
    let unused = u64::MAX
        .checked_shr(16u32.saturating_add(used))
        .unwrap_or(0);
    if seen & u32::from(INVALID) != 0 || last & unused != 0 {
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

/// Standard base64 with padding (RFC 4648 §4), of input handed over in pieces: each group
/// of three bytes goes out as four characters through `put`, in constant time (base64ct).
#[cfg(feature = "code")]
pub(crate) struct StandardEncoder<P: FnMut(&str) -> fmt::Result> {
    put: P,
    group: [u8; 3],
    filled: usize,
}

#[cfg(feature = "code")]
impl<P: FnMut(&str) -> fmt::Result> StandardEncoder<P> {
    pub(crate) const fn new(put: P) -> Self {
        Self {
            put,
            group: [0; 3],
            filled: 0,
        }
    }

    /// Takes the next piece of input.
    pub(crate) fn write(&mut self, bytes: &[u8]) -> fmt::Result {
        for &b in bytes {
            *self.group.get_mut(self.filled).ok_or(fmt::Error)? = b;
            self.filled = self.filled.saturating_add(1);
            if self.filled == self.group.len() {
                self.emit()?;
            }
        }
        Ok(())
    }

    /// Writes the last, padded group.
    pub(crate) fn finish(mut self) -> fmt::Result {
        if self.filled == 0 {
            return Ok(());
        }
        self.emit()
    }

    fn emit(&mut self) -> fmt::Result {
        let mut chars = [0u8; 4];
        let group = self.group.get(..self.filled).ok_or(fmt::Error)?;
        let text = base64ct::Base64::encode(group, &mut chars).map_err(|_| fmt::Error)?;
        self.filled = 0;
        (self.put)(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7515_2_strict_decoding() {
        let mut out = [0u8; 16];
        assert_eq!(decode_into("aGk", &mut out).unwrap(), b"hi");
        for bad in ["aGk=", "aG k", "a+/A", "aGl", "a", "aGk\u{80}", "aG\u{e9}"] {
            assert!(decode_into(bad, &mut out).is_err(), "{bad}");
        }
        let mut buf = [0u8; 4];
        assert_eq!(decode_into("_-8", &mut buf).unwrap(), [0xFF, 0xEF]);
        assert_eq!(encode_into(b"hi", &mut buf).unwrap(), "aGk");
        #[cfg(feature = "code")]
        {
            // RFC 4648 §10, in pieces that straddle the groups.
            let mut text = std::string::String::new();
            let mut encoder = StandardEncoder::new(|chars: &str| {
                text.push_str(chars);
                Ok(())
            });
            for piece in [&b"fo"[..], b"ob", b"a", b"r"] {
                encoder.write(piece).unwrap();
            }
            encoder.finish().unwrap();
            assert_eq!(text, "Zm9vYmFy");
            let mut text = std::string::String::new();
            let mut encoder = StandardEncoder::new(|chars: &str| {
                text.push_str(chars);
                Ok(())
            });
            encoder.write(b"foob").unwrap();
            encoder.finish().unwrap();
            assert_eq!(text, "Zm9vYg==");
        }
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
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..if cfg!(miri) { 300 } else { 50_000 } {
            // Up to 27 characters: up to three eight-character blocks and a tail of 0 to 7.
            let len = (next() % 28) as usize;
            // Mostly base64url characters only (the first 11), so that long texts decode too.
            let valid = next() % 4 != 0;
            let text: std::string::String = (0..len)
                .map(|_| {
                    let pick = next() as usize;
                    let n = if valid { 11 } else { CHARS.len() };
                    char::from(CHARS[pick % n])
                })
                .collect();
            let (mut ours, mut theirs) = ([0u8; 24], [0u8; 24]);
            let ours = decode_into(&text, &mut ours).map(|b| b.to_vec()).ok();
            let theirs = Base64UrlUnpadded::decode(&text, &mut theirs)
                .map(|b| b.to_vec())
                .ok();
            assert_eq!(ours, theirs, "{text:?}");
        }
    }
}

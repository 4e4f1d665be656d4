//! Base64url without padding (RFC 4648 §5, RFC 7515 §2): strict and constant-time.
//!
//! The only file naming `base64ct`. It rejects padding, whitespace and non-canonical
//! trailing bits; keep it so.

use base64ct::{Base64UrlUnpadded, Encoding};

use crate::error::JwtError;

/// Decodes `s` into the front of `out`.
///
/// # Errors
/// [`JwtError::InvalidBase64Url`] for anything but canonical unpadded base64url;
/// [`crate::Error::BufferTooSmall`] if `out` is too short.
pub(crate) fn decode_into<'o>(s: &str, out: &'o mut [u8]) -> Result<&'o mut [u8], crate::Error> {
    let required = decoded_len(s)?;
    let dst = out
        .get_mut(..required)
        .ok_or(crate::Error::BufferTooSmall { required })?;
    let len = Base64UrlUnpadded::decode(s, dst)
        .map_err(|_| JwtError::InvalidBase64Url)?
        .len();
    dst.get_mut(..len)
        .ok_or_else(|| JwtError::InvalidBase64Url.into())
}

/// The decoded length of `s`, or an error if no valid encoding has its length.
///
/// # Errors
/// [`JwtError::InvalidBase64Url`] when `s.len() % 4 == 1`.
pub(crate) fn decoded_len(s: &str) -> Result<usize, JwtError> {
    let (full, rest) = (s.len() / 4, s.len() % 4);
    let tail = match rest {
        0 => 0,
        2 => 1,
        3 => 2,
        _ => return Err(JwtError::InvalidBase64Url),
    };
    full.checked_mul(3)
        .and_then(|n| n.checked_add(tail))
        .ok_or(JwtError::InvalidBase64Url)
}

/// Encodes `bytes` into `out`.
///
/// # Errors
/// [`crate::Error::BufferTooSmall`] with the encoded length if `out` is too short.
pub(crate) fn encode_into<'o>(bytes: &[u8], out: &'o mut [u8]) -> Result<&'o str, crate::Error> {
    Base64UrlUnpadded::encode(bytes, out).map_err(|_| crate::Error::BufferTooSmall {
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
        for bad in ["aGk=", "aG k", "a+/A", "aGl", "a"] {
            assert!(decode_into(bad, &mut out).is_err(), "{bad}");
        }
        let mut buf = [0u8; 4];
        assert_eq!(encode_into(b"hi", &mut buf).unwrap(), "aGk");
        assert_eq!(
            encode_into(b"hello", &mut buf),
            Err(crate::Error::BufferTooSmall { required: 7 })
        );
    }
}

//! RSASSA-PKCS1-v1_5 verification (RFC 8017 §8.2.2; RFC 7518 §3.3) without an allocator.
//!
//! The Montgomery parameters are computed once, when the key is loaded
//! ([`Modulus`]); the arithmetic runs on as many words as the modulus has. The
//! exponent is public, so the exponentiation is a plain variable-time square-and-multiply
//! (17 multiplications for e = 65537).

use crate::codec::digest::{Digest, Sha256, Sha384, Sha512};
use crate::ct::ct_eq;
use crate::error::{JwkMember, JwtError, KeyError, SelectionError};
use crate::jwt::Algorithm;
use crate::verify::montgomery::Modulus;

/// Shortest modulus accepted (RFC 7518 §3.3: 2048 bits or larger MUST be used).
const MIN_BITS: usize = 2048;
/// Longest modulus accepted, in bytes.
const MAX_LEN: usize = 512;

/// An RSA public key, ready to verify.
#[derive(Clone)]
pub(crate) struct RsaKey {
    modulus: Modulus,
    /// The modulus length in bytes, `k` in RFC 8017.
    len: usize,
    exponent: u32,
}

impl RsaKey {
    /// The key with modulus `n` and public exponent `e`, both unsigned big-endian integers
    /// in their shortest form (RFC 7518 §6.3.1.1, §2 "Base64urlUInt").
    pub(crate) fn new(n: &[u8], e: &[u8]) -> Result<Self, KeyError> {
        let exponent = exponent(e)?;
        let first = *n.first().ok_or(KeyError::InvalidMember(JwkMember::N))?;
        if first == 0 {
            return Err(KeyError::InvalidMember(JwkMember::N));
        }
        let bits = n
            .len()
            .saturating_mul(8)
            .saturating_sub(first.leading_zeros() as usize);
        if bits < MIN_BITS {
            return Err(KeyError::WeakKey);
        }
        if n.len() > MAX_LEN {
            return Err(KeyError::InvalidModulus);
        }
        let modulus = Modulus::new(n).ok_or(KeyError::InvalidModulus)?;
        Ok(Self {
            modulus,
            len: n.len(),
            exponent,
        })
    }

    /// Verifies an RSASSA-PKCS1-v1_5 `signature` of `message` with the hash of `alg`.
    ///
    /// Rebuilds the whole expected encoding `00 01 FF… 00 DigestInfo hash` (RFC 8017 §9.2)
    /// and compares it with the recovered one byte for byte: no padding is parsed. Not
    /// inlined, so that its frame is not reserved beside ES256's in a caller's.
    #[inline(never)]
    pub(crate) fn verify(
        &self,
        alg: Algorithm,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), JwtError> {
        // RFC 8017 §8.2.2 step 1: the signature is exactly k bytes.
        if signature.len() != self.len {
            return Err(JwtError::BadSignature);
        }
        let mut expected = [0u8; MAX_LEN];
        let expected = expected.get_mut(..self.len).ok_or(JwtError::BadSignature)?;
        encode(alg, message, expected)?;
        let mut recovered = [0u8; MAX_LEN];
        let recovered = recovered
            .get_mut(..self.len)
            .ok_or(JwtError::BadSignature)?;
        // RSAVP1 (RFC 8017 §5.2.2): s < n, then s^e mod n.
        self.modulus
            .pow(signature, self.exponent, recovered)
            .ok_or(JwtError::BadSignature)?;
        if ct_eq(expected, recovered) {
            Ok(())
        } else {
            Err(JwtError::BadSignature)
        }
    }
}

/// The public exponent: odd, 3 ≤ e < 2³², in shortest form.
fn exponent(e: &[u8]) -> Result<u32, KeyError> {
    match e.first() {
        None | Some(0) => return Err(KeyError::InvalidMember(JwkMember::E)),
        Some(_) if e.len() > 4 => return Err(KeyError::InvalidExponent),
        Some(_) => {}
    }
    let value = e
        .iter()
        .fold(0u32, |acc, &b| acc.wrapping_shl(8) | u32::from(b));
    if value < 3 || value % 2 == 0 {
        return Err(KeyError::InvalidExponent);
    }
    Ok(value)
}

/// EMSA-PKCS1-v1_5-ENCODE (RFC 8017 §9.2) of `message` into all of `out` (k bytes).
fn encode(alg: Algorithm, message: &[u8], out: &mut [u8]) -> Result<(), JwtError> {
    let mut hash = [0u8; 64];
    let (prefix, hash) = match alg {
        Algorithm::RS256 => (SHA256_PREFIX, digest::<Sha256>(message, &mut hash)),
        Algorithm::RS384 => (SHA384_PREFIX, digest::<Sha384>(message, &mut hash)),
        Algorithm::RS512 => (SHA512_PREFIX, digest::<Sha512>(message, &mut hash)),
        _ => return Err(JwtError::KeySelection(SelectionError::KeyTypeMismatch)),
    };
    let t_len = prefix.len().saturating_add(hash.len());
    // 00 01 PS 00 T with PS at least 8 bytes of FF.
    let ps_len = out
        .len()
        .checked_sub(t_len.saturating_add(3))
        .filter(|&n| n >= 8)
        .ok_or(JwtError::BadSignature)?;
    let (head, t) = out.split_at_mut(out.len().saturating_sub(t_len));
    let (digest_info, h) = t.split_at_mut(prefix.len());
    digest_info.copy_from_slice(prefix);
    h.copy_from_slice(hash);
    let (start, padding) = head.split_at_mut(2);
    start.copy_from_slice(&[0x00, 0x01]);
    let (ps, zero) = padding.split_at_mut(ps_len);
    ps.fill(0xFF);
    zero.fill(0x00);
    Ok(())
}

fn digest<'h, D: Digest>(message: &[u8], out: &'h mut [u8; 64]) -> &'h [u8] {
    let hash = D::digest(message);
    let out = out.get_mut(..hash.len()).unwrap_or_default();
    out.copy_from_slice(&hash);
    out
}

/// DER `DigestInfo` headers (RFC 8017 §9.2, note 1), parameters NULL.
const SHA256_PREFIX: &[u8] = &[
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];
const SHA384_PREFIX: &[u8] = &[
    0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05,
    0x00, 0x04, 0x30,
];
const SHA512_PREFIX: &[u8] = &[
    0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05,
    0x00, 0x04, 0x40,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponents() {
        assert_eq!(exponent(&[1, 0, 1]), Ok(65537));
        assert_eq!(exponent(&[3]), Ok(3));
        for bad in [&[1][..], &[2], &[1, 0, 0], &[1, 0, 0, 0, 1]] {
            assert_eq!(exponent(bad), Err(KeyError::InvalidExponent), "{bad:?}");
        }
        for bad in [&[][..], &[0, 1, 0, 1]] {
            assert_eq!(exponent(bad), Err(KeyError::InvalidMember(JwkMember::E)));
        }
    }

    #[test]
    fn encoding_matches_rfc8017_layout() {
        let mut out = [0u8; 256];
        encode(Algorithm::RS256, b"abc", &mut out).unwrap();
        assert_eq!(&out[..2], &[0, 1]);
        assert!(out[2..256 - 52].iter().all(|&b| b == 0xFF));
        assert_eq!(out[256 - 52], 0);
        assert_eq!(&out[256 - 51..256 - 32], SHA256_PREFIX);
        assert_eq!(&out[256 - 32..], Sha256::digest(b"abc").as_slice());
        // Too short for 8 bytes of padding.
        assert_eq!(
            encode(Algorithm::RS512, b"", &mut [0u8; 64 + 19 + 10]),
            Err(JwtError::BadSignature)
        );
    }
}

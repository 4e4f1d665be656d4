//! RSA signature verification without an allocator: RSASSA-PKCS1-v1_5 (RFC 8017 §8.2.2;
//! RFC 7518 §3.3) and RSASSA-PSS (RFC 8017 §8.1.2; RFC 7518 §3.5).
//!
//! The Montgomery parameters are computed once, when the key is loaded
//! ([`Modulus`]); the arithmetic runs on as many words as the modulus has. The
//! exponent is public, so the exponentiation is a plain variable-time square-and-multiply
//! (17 multiplications for e = 65537).

use crate::algorithm::Algorithm;
use crate::codec::digest::{Digest, Sha256, Sha384, Sha512};
use crate::ct::ct_eq;
use crate::error::{Error, JwtError, KeyError, SelectionError};
use crate::verify::JwkMember;
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
    /// The modulus length in bits, `modBits` in RFC 8017.
    bits: usize,
    exponent: u32,
}

impl RsaKey {
    /// No key yet: what [`Self::init`] fills in place.
    pub(crate) const EMPTY: Self = Self {
        modulus: Modulus::EMPTY,
        len: 0,
        bits: 0,
        exponent: 0,
    };

    /// The key with modulus `n` and public exponent `e`, both unsigned big-endian integers
    /// in their shortest form (RFC 7518 §6.3.1.1, §2 "Base64urlUInt").
    pub(crate) fn new(n: &[u8], e: &[u8]) -> Result<Self, KeyError> {
        let mut key = Self::EMPTY;
        key.init(n, e)?;
        Ok(key)
    }

    /// [`Self::new`] in place: a key set builds its keys where it stores them.
    pub(crate) fn init(&mut self, n: &[u8], e: &[u8]) -> Result<(), KeyError> {
        let exponent = exponent(e)?;
        let first = *n.first().ok_or(KeyError::InvalidKeyMember(JwkMember::N))?;
        if first == 0 {
            return Err(KeyError::InvalidKeyMember(JwkMember::N));
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
        self.modulus.init(n).ok_or(KeyError::InvalidModulus)?;
        if has_roca_fingerprint(n) {
            return Err(KeyError::WeakKey);
        }
        (self.len, self.bits, self.exponent) = (n.len(), bits, exponent);
        Ok(())
    }

    /// Verifies `signature` of `message` under `alg`: RSASSA-PKCS1-v1_5 for `RS*`,
    /// RSASSA-PSS for `PS*` (MGF1 with the same hash, a salt as long as the hash: RFC 7518
    /// §3.5). Not inlined, so that its frame is not reserved beside ES256's in a caller's.
    #[inline(never)]
    pub(crate) fn verify(
        &self,
        alg: Algorithm,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), Error> {
        // RFC 8017 §8.1.2 and §8.2.2 step 1: the signature is exactly k bytes.
        if signature.len() != self.len {
            return Err(JwtError::BadSignature.into());
        }
        let mut recovered = [0u8; MAX_LEN];
        let recovered = recovered
            .get_mut(..self.len)
            .ok_or(JwtError::BadSignature)?;
        // RSAVP1 (RFC 8017 §5.2.2): s < n, then s^e mod n.
        self.modulus
            .pow(signature, self.exponent, recovered)
            .ok_or(JwtError::BadSignature)?;
        let valid = match alg {
            Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512 => {
                pkcs1_matches(alg, message, recovered)?
            }
            Algorithm::PS256 => pss_matches::<Sha256>(message, recovered, self.bits),
            Algorithm::PS384 => pss_matches::<Sha384>(message, recovered, self.bits),
            Algorithm::PS512 => pss_matches::<Sha512>(message, recovered, self.bits),
            _ => return Err(Error::KeySelection(SelectionError::KeyTypeMismatch)),
        };
        if valid {
            Ok(())
        } else {
            Err(JwtError::BadSignature.into())
        }
    }
}

/// Whether `recovered` (k bytes) is EMSA-PKCS1-v1_5's encoding of `message` for `alg`.
///
/// Rebuilds the whole expected encoding `00 01 FF… 00 DigestInfo hash` (RFC 8017 §9.2)
/// and compares it with the recovered one byte for byte: no padding is parsed.
fn pkcs1_matches(alg: Algorithm, message: &[u8], recovered: &[u8]) -> Result<bool, Error> {
    let mut expected = [0u8; MAX_LEN];
    let expected = expected
        .get_mut(..recovered.len())
        .ok_or(JwtError::BadSignature)?;
    encode(alg, message, expected)?;
    Ok(ct_eq(expected, recovered))
}

/// EMSA-PSS-VERIFY (RFC 8017 §9.1.2) of `message` against the k-byte `recovered` value of a
/// `mod_bits`-bit modulus, with MGF1 over `D` and a salt of `D`'s output length (RFC 7518
/// §3.5). Decodes in place: `recovered` is scratch afterwards.
fn pss_matches<D: Digest>(message: &[u8], recovered: &mut [u8], mod_bits: usize) -> bool {
    let h_len = <D as Digest>::output_size();
    let s_len = h_len;
    // RFC 8017 §8.1.2 step 2c: EM is I2OSP(m, emLen), emLen = ⌈(modBits − 1)/8⌉, one
    // octet shorter than k when modBits − 1 is a multiple of 8; m must then fit.
    let em_bits = mod_bits.saturating_sub(1);
    let em_len = em_bits.div_ceil(8);
    let Some((lead, em)) = recovered.split_at_mut_checked(recovered.len().saturating_sub(em_len))
    else {
        return false;
    };
    if lead.iter().any(|&b| b != 0) {
        return false;
    }
    // Step 3: room for the hash, the salt, the 0x01 separator and the 0xbc trailer.
    if em_len < h_len.saturating_add(s_len).saturating_add(2) {
        return false;
    }
    // Step 4: the trailer.
    let Some((&mut 0xbc, rest)) = em.split_last_mut() else {
        return false;
    };
    // Step 5: maskedDB || H.
    let (db, h) = rest.split_at_mut(em_len.saturating_sub(h_len).saturating_sub(1));
    // Step 6: the bits above emBits are zero.
    let top_mask = 0xFFu8
        .checked_shr(u32::try_from(em_len.saturating_mul(8).saturating_sub(em_bits)).unwrap_or(8))
        .unwrap_or(0);
    let Some(first) = db.first_mut() else {
        return false;
    };
    if *first & !top_mask != 0 {
        return false;
    }
    // Steps 7–9: DB = maskedDB ⊕ MGF1(H), the bits above emBits cleared.
    mgf1_xor::<D>(h, db);
    if let Some(first) = db.first_mut() {
        *first &= top_mask;
    }
    // Step 10: DB = PS (zeros) || 0x01 || salt.
    let (ps_one, salt) = db.split_at(db.len().saturating_sub(s_len));
    let Some((&0x01, ps)) = ps_one.split_last() else {
        return false;
    };
    if ps.iter().any(|&b| b != 0) {
        return false;
    }
    // Steps 12–14: H' = Hash(0x00 × 8 || mHash || salt) equals H.
    let m_hash = D::digest(message);
    let h_prime = D::new()
        .chain_update([0u8; 8])
        .chain_update(m_hash)
        .chain_update(salt)
        .finalize();
    ct_eq(&h_prime, h)
}

/// `out ⊕= MGF1(seed)` (RFC 8017 §B.2.1) over `D`, for `out.len()` octets.
fn mgf1_xor<D: Digest>(seed: &[u8], out: &mut [u8]) {
    let mut counter = 0u32;
    for chunk in out.chunks_mut(<D as Digest>::output_size()) {
        let block = D::new()
            .chain_update(seed)
            .chain_update(counter.to_be_bytes())
            .finalize();
        chunk
            .iter_mut()
            .zip(block.iter())
            .for_each(|(o, m)| *o ^= m);
        counter = counter.wrapping_add(1);
    }
}

/// Whether the modulus `n` (big-endian) carries the ROCA fingerprint (CVE-2017-15361;
/// Nemec et al., "The Return of Coppersmith's Attack", CCS 2017): moduli made of primes of
/// the form `k·M + (65537^a mod M)`, with M a primorial, are congruent to a power of 65537
/// modulo every small prime. A random modulus passes all 38 residue tests with probability
/// about 2⁻²⁷·⁸ (the product, over the primes, of the share of residues 65537 generates).
fn has_roca_fingerprint(n: &[u8]) -> bool {
    const PRIMES: [u32; 38] = [
        3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89,
        97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167,
    ];
    PRIMES.iter().all(|&p| {
        let residue = n.iter().fold(0u32, |r, &b| {
            (r.wrapping_shl(8) | u32::from(b))
                .checked_rem(p)
                .unwrap_or(0)
        });
        // Walk the subgroup generated by 65537 mod p, at most p − 1 elements.
        let g = 65537u32.checked_rem(p).unwrap_or(0);
        let mut power = 1u32;
        for _ in 1..p {
            if power == residue {
                return true;
            }
            power = power.wrapping_mul(g).checked_rem(p).unwrap_or(0);
            if power == 1 {
                break;
            }
        }
        false
    })
}

/// The public exponent: odd, 3 ≤ e < 2³², in shortest form.
fn exponent(e: &[u8]) -> Result<u32, KeyError> {
    match e.first() {
        None | Some(0) => return Err(KeyError::InvalidKeyMember(JwkMember::E)),
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
fn encode(alg: Algorithm, message: &[u8], out: &mut [u8]) -> Result<(), Error> {
    let mut hash = [0u8; 64];
    let (prefix, hash) = match alg {
        Algorithm::RS256 => (SHA256_PREFIX, digest::<Sha256>(message, &mut hash)),
        Algorithm::RS384 => (SHA384_PREFIX, digest::<Sha384>(message, &mut hash)),
        Algorithm::RS512 => (SHA512_PREFIX, digest::<Sha512>(message, &mut hash)),
        _ => return Err(Error::KeySelection(SelectionError::KeyTypeMismatch)),
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
    fn rfc7518_6_3_1_2_exponents() {
        assert_eq!(exponent(&[1, 0, 1]), Ok(65537));
        assert_eq!(exponent(&[3]), Ok(3));
        // The longest that fits: four octets.
        assert_eq!(exponent(&[1, 0, 0, 3]), Ok(0x0100_0003));
        // Five octets: refused, never read as its low four (0x0100010001 is not 65537).
        for bad in [
            &[1][..],
            &[2],
            &[1, 0, 0],
            &[1, 0, 0, 0, 1],
            &[1, 0, 1, 0, 1],
        ] {
            assert_eq!(exponent(bad), Err(KeyError::InvalidExponent), "{bad:?}");
        }
        for bad in [&[][..], &[0, 1, 0, 1]] {
            assert_eq!(exponent(bad), Err(KeyError::InvalidKeyMember(JwkMember::E)));
        }
    }

    #[test]
    fn rfc8017_9_2_encoding_matches_rfc8017_layout() {
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
            Err(JwtError::BadSignature.into())
        );
    }
}

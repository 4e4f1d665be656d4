//! ECDSA (RFC 7518 §3.4): P-256 with SHA-256 (`ES256`), P-384 with SHA-384 (`ES384`) and,
//! with feature `es512`, P-521 with SHA-512 (`ES512`). The only file naming the curve crates.

use p256::ecdsa::signature::Verifier;

use crate::error::{JwtError, KeyError};
use crate::verify::JwkMember;

/// An ECDSA public key, ready to verify with the one algorithm of its curve.
#[derive(Clone)]
pub(crate) enum EcKey {
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    #[cfg(feature = "es512")]
    P521(p521::ecdsa::VerifyingKey),
}

impl EcKey {
    /// The P-256 key at affine coordinates `x`, `y`: 32 bytes each (RFC 7518 §6.2.1.2,
    /// §6.2.1.3), together a point of the curve other than the identity.
    pub(crate) fn p256(x: &[u8], y: &[u8]) -> Result<Self, KeyError> {
        let mut sec1 = [0x04; 65];
        uncompressed(x, y, &mut sec1)?;
        p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1)
            .map(Self::P256)
            .map_err(|_| KeyError::InvalidPoint)
    }

    /// The P-384 key at affine coordinates `x`, `y`: 48 bytes each.
    pub(crate) fn p384(x: &[u8], y: &[u8]) -> Result<Self, KeyError> {
        let mut sec1 = [0x04; 97];
        uncompressed(x, y, &mut sec1)?;
        p384::ecdsa::VerifyingKey::from_sec1_bytes(&sec1)
            .map(Self::P384)
            .map_err(|_| KeyError::InvalidPoint)
    }

    /// The P-521 key at affine coordinates `x`, `y`: 66 bytes each (RFC 7518 §6.2.1.2: the
    /// full coordinate length, leading zeros kept).
    #[cfg(feature = "es512")]
    pub(crate) fn p521(x: &[u8], y: &[u8]) -> Result<Self, KeyError> {
        let mut sec1 = [0x04; 133];
        uncompressed(x, y, &mut sec1)?;
        p521::ecdsa::VerifyingKey::from_sec1_bytes(&sec1)
            .map(Self::P521)
            .map_err(|_| KeyError::InvalidPoint)
    }

    /// Verifies a JWS ECDSA signature: the `R || S` form of twice the coordinate length
    /// (RFC 7518 §3.4), never DER; the hash is the curve's own (the caller matched `alg` to
    /// the curve). `S` in the upper half of the order is accepted, as ECDSA defines it.
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), JwtError> {
        let verified = match self {
            Self::P256(key) => p256_verifies(key, message, signature),
            Self::P384(key) => p384_verifies(key, message, signature),
            #[cfg(feature = "es512")]
            Self::P521(key) => p521_verifies(key, message, signature),
        };
        if verified {
            Ok(())
        } else {
            Err(JwtError::BadSignature)
        }
    }
}

// Each curve's verification in its own frame, not inlined: a P-256 check does not reserve
// the stack of a P-384 one, nor either beside RSA's in a caller's.
#[inline(never)]
fn p256_verifies(key: &p256::ecdsa::VerifyingKey, message: &[u8], signature: &[u8]) -> bool {
    p256::ecdsa::Signature::from_slice(signature)
        .is_ok_and(|signature| key.verify(message, &signature).is_ok())
}

#[inline(never)]
fn p384_verifies(key: &p384::ecdsa::VerifyingKey, message: &[u8], signature: &[u8]) -> bool {
    p384::ecdsa::Signature::from_slice(signature)
        .is_ok_and(|signature| key.verify(message, &signature).is_ok())
}

#[cfg(feature = "es512")]
#[inline(never)]
fn p521_verifies(key: &p521::ecdsa::VerifyingKey, message: &[u8], signature: &[u8]) -> bool {
    p521::ecdsa::Signature::from_slice(signature)
        .is_ok_and(|signature| key.verify(message, &signature).is_ok())
}

/// Writes `04 || x || y` (SEC 1 §2.3.3) into `sec1`, whose length fixes the coordinates'.
fn uncompressed(x: &[u8], y: &[u8], sec1: &mut [u8]) -> Result<(), KeyError> {
    let (_, xy) = sec1.split_at_mut(1);
    let (xs, ys) = xy.split_at_mut(xy.len() / 2);
    if x.len() != xs.len() {
        return Err(KeyError::InvalidKeyMember(JwkMember::X));
    }
    if y.len() != ys.len() {
        return Err(KeyError::InvalidKeyMember(JwkMember::Y));
    }
    xs.copy_from_slice(x);
    ys.copy_from_slice(y);
    Ok(())
}

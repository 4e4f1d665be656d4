//! ECDSA with P-256 and SHA-256 (RFC 7518 §3.4). The only file naming `p256`.

use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};

use crate::error::{JwkMember, JwtError, KeyError};

/// A P-256 public key, ready to verify.
#[derive(Clone)]
pub(crate) struct P256Key(VerifyingKey);

impl P256Key {
    /// The key at affine coordinates `x`, `y`: each exactly 32 bytes (RFC 7518 §6.2.1.2,
    /// §6.2.1.3), together a point of the curve other than the identity.
    pub(crate) fn new(x: &[u8], y: &[u8]) -> Result<Self, KeyError> {
        if x.len() != 32 {
            return Err(KeyError::InvalidMember(JwkMember::X));
        }
        if y.len() != 32 {
            return Err(KeyError::InvalidMember(JwkMember::Y));
        }
        let mut sec1 = [0x04; 65];
        let (xs, ys) = sec1.get_mut(1..).unwrap_or_default().split_at_mut(32);
        xs.copy_from_slice(x);
        ys.copy_from_slice(y);
        VerifyingKey::from_sec1_bytes(&sec1)
            .map(Self)
            .map_err(|_| KeyError::InvalidPoint)
    }

    /// Verifies a JWS ES256 signature: the 64-byte `R || S` form (RFC 7518 §3.4), never DER.
    /// Not inlined, so that its frame is not reserved beside RSA's in a caller's.
    #[inline(never)]
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), JwtError> {
        if signature.len() != 64 {
            return Err(JwtError::BadSignature);
        }
        let signature = Signature::from_slice(signature).map_err(|_| JwtError::BadSignature)?;
        self.0
            .verify(message, &signature)
            .map_err(|_| JwtError::BadSignature)
    }
}

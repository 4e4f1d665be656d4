//! Ed25519 (RFC 8032 §5.1; in JOSE, RFC 8037 §3.1 and RFC 9864): strict verification. The
//! only file naming `ed25519_dalek`.

use ed25519_dalek::{Signature, VerifyingKey};

use crate::error::{JwtError, KeyError};
use crate::verify::JwkMember;

/// An Ed25519 public key, ready to verify.
#[derive(Clone)]
pub(crate) struct Ed25519Key(VerifyingKey);

impl Ed25519Key {
    /// The key whose encoding is `x` (RFC 8037 §2): 32 bytes, the canonical encoding of a
    /// point of the curve (RFC 8032 §5.1.3) outside the small-order subgroup, which no
    /// honest key lies in.
    pub(crate) fn new(x: &[u8]) -> Result<Self, KeyError> {
        let bytes: &[u8; 32] = x
            .try_into()
            .map_err(|_| KeyError::InvalidKeyMember(JwkMember::X))?;
        let key = VerifyingKey::from_bytes(bytes).map_err(|_| KeyError::InvalidPoint)?;
        // `from_bytes` accepts a y coordinate ≥ p (ZIP 215); RFC 8032 §5.1.3 does not.
        if key.to_edwards().compress().as_bytes() != bytes || key.is_weak() {
            return Err(KeyError::InvalidPoint);
        }
        Ok(Self(key))
    }

    /// Verifies a 64-byte `R || S` signature (RFC 8032 §5.1.7) strictly: `S` below the group
    /// order, `R` canonical and not of small order, so that no signature has a second valid
    /// encoding (RFC 8032 §5.1.7 and §8.4).
    #[inline(never)]
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), JwtError> {
        let signature = Signature::from_slice(signature).map_err(|_| JwtError::BadSignature)?;
        self.0
            .verify_strict(message, &signature)
            .map_err(|_| JwtError::BadSignature)
    }
}

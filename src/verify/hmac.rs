//! HMAC-SHA-256 (RFC 7518 §3.2), for confidential clients that share a secret with the
//! provider. The only file naming `hmac`.

use core::fmt;

use crate::codec::digest::Sha256;
use hmac::{Hmac, KeyInit, Mac};

use crate::ct::ct_eq;
use crate::error::{ConfigError, JwtError};
use crate::jwt::{Algorithm, Header, SignatureVerified, SignatureVerifier};

/// Shortest key accepted: the hash size (RFC 7518 §3.2).
const MIN_KEY_LEN: usize = 32;

/// Verifies `HS256` signatures with a shared secret.
///
/// It answers only for `alg: HS256`: any other `alg` gets [`JwtError::UnknownKey`]. The
/// caller must also list [`Algorithm::HS256`] in its accepted algorithms.
///
/// # Security
/// Symmetric signatures must not be used by public clients (OIDC Core §10.1): a
/// single-page app has no secret to keep. `Debug` redacts the key.
///
/// ```
/// use implicit_grant::verify::Hs256;
/// let key = Hs256::new(b"a shared secret of 32 bytes or more!")?;
/// assert_eq!(format!("{key:?}"), "Hs256([redacted])");
/// assert!(Hs256::new(b"short").is_err());
/// # Ok::<(), implicit_grant::ConfigError>(())
/// ```
#[derive(Clone, Copy)]
pub struct Hs256<'k> {
    key: &'k [u8],
}

impl<'k> Hs256<'k> {
    /// A verifier over `key`.
    ///
    /// # Errors
    /// [`ConfigError::WeakKey`] for a key shorter than 32 bytes (RFC 7518 §3.2).
    pub const fn new(key: &'k [u8]) -> Result<Self, ConfigError> {
        if key.len() < MIN_KEY_LEN {
            return Err(ConfigError::WeakKey);
        }
        Ok(Self { key })
    }
}

impl fmt::Debug for Hs256<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Hs256([redacted])")
    }
}

impl SignatureVerifier for Hs256<'_> {
    fn verify(
        &self,
        header: &Header<'_>,
        signing_input: &[u8],
        signature: &[u8],
    ) -> Result<SignatureVerified, JwtError> {
        if header.alg != Algorithm::HS256 {
            return Err(JwtError::UnknownKey);
        }
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(self.key)
            .map_err(|_| JwtError::UnknownKey)?;
        mac.update(signing_input);
        let tag = mac.finalize().into_bytes();
        if ct_eq(&tag, signature) {
            Ok(SignatureVerified::assertion())
        } else {
            Err(JwtError::BadSignature)
        }
    }
}

//! HMAC with SHA-2 (RFC 7518 §3.2), for confidential clients that share a secret with the
//! provider. The only file naming `hmac`.

use core::fmt;

use hmac::{Hmac, KeyInit, Mac};

use crate::codec::digest::{Sha256, Sha384, Sha512};
use crate::ct::ct_eq;
use crate::error::{ConfigError, JwtError, SelectionError};
use crate::jwt::{Algorithm, Header, SignatureVerified, SignatureVerifier};

/// A shared secret bound to one of `HS256`, `HS384`, `HS512`.
///
/// It answers only for its own `alg`: a token with any other `alg` gets
/// [`SelectionError::KeyTypeMismatch`](crate::SelectionError::KeyTypeMismatch) (another family) or [`SelectionError::KeyAlgMismatch`](crate::SelectionError::KeyAlgMismatch) (another
/// HMAC hash). The caller must also list the algorithm in its accepted algorithms. The tag
/// is compared in constant time.
///
/// # Security
/// Symmetric signatures must not be used by public clients (OIDC Core §10.1): a
/// single-page app has no secret to keep. `Debug` redacts the key.
///
/// ```
/// use implicit_grant::verify::HmacKey;
/// let key = HmacKey::hs256(b"a shared secret of 32 bytes or more!")?;
/// assert_eq!(format!("{key:?}"), "HmacKey(HS256, [redacted])");
/// assert!(HmacKey::hs256(b"short").is_err());
/// assert!(HmacKey::hs512(b"a shared secret of 32 bytes or more!").is_err());
/// # Ok::<(), implicit_grant::ConfigError>(())
/// ```
#[derive(Clone, Copy)]
pub struct HmacKey<'k> {
    alg: Algorithm,
    key: &'k [u8],
}

impl<'k> HmacKey<'k> {
    /// An `HS256` key.
    ///
    /// # Errors
    /// [`ConfigError::WeakKey`] for a key shorter than 32 bytes (RFC 7518 §3.2).
    pub const fn hs256(key: &'k [u8]) -> Result<Self, ConfigError> {
        Self::new(Algorithm::HS256, 32, key)
    }

    /// An `HS384` key.
    ///
    /// # Errors
    /// [`ConfigError::WeakKey`] for a key shorter than 48 bytes (RFC 7518 §3.2).
    ///
    /// ```
    /// # use implicit_grant::verify::HmacKey;
    /// assert!(HmacKey::hs384(&[7; 48]).is_ok());
    /// ```
    pub const fn hs384(key: &'k [u8]) -> Result<Self, ConfigError> {
        Self::new(Algorithm::HS384, 48, key)
    }

    /// An `HS512` key.
    ///
    /// # Errors
    /// [`ConfigError::WeakKey`] for a key shorter than 64 bytes (RFC 7518 §3.2).
    ///
    /// ```
    /// # use implicit_grant::verify::HmacKey;
    /// assert!(HmacKey::hs512(&[7; 64]).is_ok());
    /// ```
    pub const fn hs512(key: &'k [u8]) -> Result<Self, ConfigError> {
        Self::new(Algorithm::HS512, 64, key)
    }

    const fn new(alg: Algorithm, min_len: usize, key: &'k [u8]) -> Result<Self, ConfigError> {
        if key.len() < min_len {
            return Err(ConfigError::WeakKey);
        }
        Ok(Self { alg, key })
    }

    /// The algorithm this key verifies.
    ///
    /// ```
    /// # use implicit_grant::{jwt::Algorithm, verify::HmacKey};
    /// assert_eq!(HmacKey::hs384(&[7; 48])?.algorithm(), Algorithm::HS384);
    /// # Ok::<(), implicit_grant::ConfigError>(())
    /// ```
    pub const fn algorithm(&self) -> Algorithm {
        self.alg
    }

    fn tag_matches<M: Mac + KeyInit>(&self, message: &[u8], tag: &[u8]) -> bool {
        <M as KeyInit>::new_from_slice(self.key).is_ok_and(|mut mac| {
            mac.update(message);
            ct_eq(&mac.finalize().into_bytes(), tag)
        })
    }
}

impl fmt::Debug for HmacKey<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HmacKey({:?}, [redacted])", self.alg)
    }
}

impl SignatureVerifier for HmacKey<'_> {
    fn verify(
        &self,
        header: &Header<'_>,
        signing_input: &[u8],
        signature: &[u8],
    ) -> Result<SignatureVerified, JwtError> {
        let valid = match header.alg {
            alg if alg != self.alg => {
                return Err(match alg {
                    Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => {
                        JwtError::KeySelection(SelectionError::KeyAlgMismatch)
                    }
                    _ => JwtError::KeySelection(SelectionError::KeyTypeMismatch),
                });
            }
            Algorithm::HS384 => self.tag_matches::<Hmac<Sha384>>(signing_input, signature),
            Algorithm::HS512 => self.tag_matches::<Hmac<Sha512>>(signing_input, signature),
            _ => self.tag_matches::<Hmac<Sha256>>(signing_input, signature),
        };
        if valid {
            Ok(SignatureVerified::assertion())
        } else {
            Err(JwtError::BadSignature)
        }
    }
}

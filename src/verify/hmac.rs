//! HMAC with SHA-2 (RFC 7518 §3.2), for confidential clients that share a secret with the
//! provider. The only file naming `hmac`.

use core::fmt;

use hmac::{Hmac, KeyInit, Mac};
use zeroize::{Zeroize, Zeroizing};

use crate::algorithm::Algorithm;
use crate::codec::base64url;
use crate::codec::digest::{Sha256, Sha384, Sha512};
use crate::codec::json::{self, Value};
use crate::ct::ct_eq;
use crate::error::{Error, JwtError, KeyError, SelectionError};
use crate::jwt::verifier::SignatureVerified;
use crate::jwt::{Header, SignatureVerifier};
use crate::secret::Redacted;
use crate::verify::JwkMember;

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
/// # Ok::<(), implicit_grant::KeyError>(())
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
    /// [`KeyError::WeakKey`] for a key shorter than 32 bytes (RFC 7518 §3.2).
    ///
    /// ```
    /// use implicit_grant::{Algorithm, KeyError, verify::HmacKey};
    /// let key = HmacKey::hs256(b"a shared secret of 32 bytes or more!")?;
    /// assert_eq!(key.algorithm(), Algorithm::HS256);
    /// assert_eq!(HmacKey::hs256(&[7; 31]).err(), Some(KeyError::WeakKey));
    /// # Ok::<(), KeyError>(())
    /// ```
    pub const fn hs256(key: &'k [u8]) -> Result<Self, KeyError> {
        Self::new(Algorithm::HS256, 32, key)
    }

    /// An `HS384` key.
    ///
    /// # Errors
    /// [`KeyError::WeakKey`] for a key shorter than 48 bytes (RFC 7518 §3.2).
    ///
    /// ```
    /// # use implicit_grant::verify::HmacKey;
    /// assert!(HmacKey::hs384(&[7; 48]).is_ok());
    /// ```
    pub const fn hs384(key: &'k [u8]) -> Result<Self, KeyError> {
        Self::new(Algorithm::HS384, 48, key)
    }

    /// An `HS512` key.
    ///
    /// # Errors
    /// [`KeyError::WeakKey`] for a key shorter than 64 bytes (RFC 7518 §3.2).
    ///
    /// ```
    /// # use implicit_grant::verify::HmacKey;
    /// assert!(HmacKey::hs512(&[7; 64]).is_ok());
    /// ```
    pub const fn hs512(key: &'k [u8]) -> Result<Self, KeyError> {
        Self::new(Algorithm::HS512, 64, key)
    }

    /// The key of a symmetric JWK (`"kty":"oct"`, RFC 7518 §6.4), decoded from its `k`
    /// member (base64url) into `buf`, and bound to the HMAC algorithm its `alg` names.
    ///
    /// `alg` is required here: an `HmacKey` verifies one algorithm, and guessing it from
    /// the key's length would let one secret answer for several. `use`, when present, must
    /// be `sig`, and `key_ops`, when present, must list `verify` (RFC 7517 §4.2, §4.3).
    /// `kid` and other members are not read.
    ///
    /// # Errors
    /// [`KeyError::InvalidKeyJson`] for anything but one strict JSON object;
    /// [`KeyError::DuplicateKeyMember`], [`KeyError::InvalidKeyMember`] (a member of the wrong
    /// JSON type, or a `k` that is not strict base64url);
    /// [`KeyError::MissingKeyMember`] for `kty`, `alg` ([`JwkMember::Alg`]) or `k`;
    /// [`KeyError::Unsupported`] for a `kty` other than `oct` or an `alg` other than
    /// `HS256`, `HS384`, `HS512`; [`KeyError::NotForSignatures`];
    /// [`KeyError::WeakKey`] for a key shorter than the hash output (RFC 7518 §3.2);
    /// [`Error::BufferTooSmall`] when `buf` cannot hold the key.
    ///
    /// # Security
    /// `buf` holds the secret afterwards: wipe it when the key is no longer needed. On
    /// error, all of `buf` is wiped.
    ///
    /// # Examples
    /// RFC 7515 Appendix A.1's key, bound to `HS256`:
    /// ```
    /// use implicit_grant::{Algorithm, verify::HmacKey};
    /// let jwk = r#"{"kty":"oct","alg":"HS256","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}"#;
    /// let mut buf = [0u8; 64];
    /// let key = HmacKey::from_jwk(jwk, &mut buf)?;
    /// assert_eq!(key.algorithm(), Algorithm::HS256);
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    pub fn from_jwk(json: &str, buf: &'k mut [u8]) -> Result<Self, Error> {
        let (alg, min_len, k) = read_oct(json)?;
        let mut unescaped = Zeroizing::new([0u8; MAX_K_LEN]);
        let text = json::canonical_str(k, unescaped.as_mut())
            .map_err(|_| KeyError::InvalidKeyMember(JwkMember::K))?;
        let len = match base64url::decode_into(text, &mut *buf) {
            Ok(key) => key.len(),
            Err(base64url::Base64Error::BufferTooSmall { required }) => {
                return Err(Error::BufferTooSmall { required });
            }
            Err(_) => {
                buf.zeroize();
                return Err(KeyError::InvalidKeyMember(JwkMember::K).into());
            }
        };
        if len < min_len {
            buf.zeroize();
            return Err(KeyError::WeakKey.into());
        }
        let buf: &'k [u8] = buf;
        let key = buf
            .get(..len)
            .ok_or(Error::BufferTooSmall { required: len })?;
        Ok(Self { alg, key })
    }

    const fn new(alg: Algorithm, min_len: usize, key: &'k [u8]) -> Result<Self, KeyError> {
        if key.len() < min_len {
            return Err(KeyError::WeakKey);
        }
        Ok(Self { alg, key })
    }

    /// The algorithm this key verifies.
    ///
    /// ```
    /// # use implicit_grant::{Algorithm, verify::HmacKey};
    /// assert_eq!(HmacKey::hs384(&[7; 48])?.algorithm(), Algorithm::HS384);
    /// # Ok::<(), implicit_grant::KeyError>(())
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

/// Longest JSON-escaped `k` text unescaped (an unescaped `k` may be any length).
const MAX_K_LEN: usize = 1024;

/// The `alg`, its minimum key length and the raw `k` of a symmetric JWK, after checking
/// `kty`, `use` and `key_ops`.
fn read_oct(json: &str) -> Result<(Algorithm, usize, &str), KeyError> {
    json::validate(json.as_bytes()).map_err(|_| KeyError::InvalidKeyJson)?;
    let object = json.trim_matches([' ', '\t', '\n', '\r']);
    let (mut kty, mut use_, mut alg, mut k, mut key_ops) = (None, None, None, None, None);
    for member in json::members(object) {
        let (name, value) = member.map_err(|_| KeyError::InvalidKeyJson)?;
        let mut buf = [0u8; 8];
        let Ok(name) = json::canonical_str(name, &mut buf) else {
            continue;
        };
        let (slot, which) = match name {
            "kty" => (&mut kty, JwkMember::Kty),
            "use" => (&mut use_, JwkMember::Use),
            "alg" => (&mut alg, JwkMember::Alg),
            "k" => (&mut k, JwkMember::K),
            "key_ops" => (&mut key_ops, JwkMember::KeyOps),
            _ => continue,
        };
        if slot.is_some() {
            return Err(KeyError::DuplicateKeyMember(which));
        }
        *slot = Some(match (which, value) {
            (JwkMember::KeyOps, Value::Array(ops)) => ops,
            (JwkMember::KeyOps, _) => return Err(KeyError::InvalidKeyMember(which)),
            (_, Value::Str(text, _)) => text,
            _ => return Err(KeyError::InvalidKeyMember(which)),
        });
    }
    let mut buf = [0u8; 16];
    let kty = kty.ok_or(KeyError::MissingKeyMember(JwkMember::Kty))?;
    if json::canonical_str(kty, &mut buf) != Ok("oct") {
        return Err(KeyError::Unsupported);
    }
    let alg = alg.ok_or(KeyError::MissingKeyMember(JwkMember::Alg))?;
    let (alg, min_len) = match json::canonical_str(alg, &mut buf) {
        Ok("HS256") => (Algorithm::HS256, 32),
        Ok("HS384") => (Algorithm::HS384, 48),
        Ok("HS512") => (Algorithm::HS512, 64),
        _ => return Err(KeyError::Unsupported),
    };
    if use_.is_some_and(|u| json::canonical_str(u, &mut buf) != Ok("sig")) {
        return Err(KeyError::NotForSignatures);
    }
    if key_ops.is_some_and(|ops| !super::lists_verify(ops)) {
        return Err(KeyError::NotForSignatures);
    }
    let k = k.ok_or(KeyError::MissingKeyMember(JwkMember::K))?;
    Ok((alg, min_len, k))
}

impl fmt::Debug for HmacKey<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("HmacKey")
            .field(&self.alg)
            .field(&Redacted)
            .finish()
    }
}

impl SignatureVerifier for HmacKey<'_> {
    fn verify<'t>(
        &self,
        header: &Header<'_>,
        signing_input: &'t [u8],
        signature: &[u8],
    ) -> Result<SignatureVerified<'t>, Error> {
        let valid = match header.alg {
            alg if alg != self.alg => {
                return Err(match alg {
                    Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => {
                        Error::KeySelection(SelectionError::KeyAlgMismatch)
                    }
                    _ => Error::KeySelection(SelectionError::KeyTypeMismatch),
                });
            }
            Algorithm::HS384 => self.tag_matches::<Hmac<Sha384>>(signing_input, signature),
            Algorithm::HS512 => self.tag_matches::<Hmac<Sha512>>(signing_input, signature),
            _ => self.tag_matches::<Hmac<Sha256>>(signing_input, signature),
        };
        if valid {
            Ok(SignatureVerified::assertion(signing_input))
        } else {
            Err(JwtError::BadSignature.into())
        }
    }
}

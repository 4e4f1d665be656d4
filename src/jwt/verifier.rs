//! The signature verification capability (RFC 7515 §5.2 step 8): keys in, verdict out.

use crate::error::JwtError;
use crate::jwt::header::Header;

/// Proof that a signature verified. Claims validation takes it by value, so "validated but
/// unsigned" does not type-check; every place that makes one is found by `grep assertion(`.
#[derive(Debug)]
#[must_use = "a verification proof is meant for the claims check"]
pub struct SignatureVerified(());

impl SignatureVerified {
    /// Makes the proof. Call it only after a signature really verified.
    ///
    /// ```
    /// let _proof = implicit_grant::SignatureVerified::assertion();
    /// ```
    pub const fn assertion() -> Self {
        Self(())
    }
}

/// Verifies a JWS signature with the caller's keys.
///
/// The header's `alg` has already passed the caller's allow-list when this is called.
/// Implementations pick a key by `kid` and `alg`, never from key material in the token
/// (`jwk`, `jku`, `x5c`: RFC 8725 §3.10), and must not use a key with an algorithm of
/// another family (an HMAC over an RSA public key: RFC 8725 §3.1).
///
/// # Examples
/// ```
/// use implicit_grant::jwt::Header;
/// use implicit_grant::{SignatureVerified, SignatureVerifier};
/// use implicit_grant::{JwtError, SelectionError};
/// /// Refuses everything: a verifier that holds no keys.
/// struct NoKeys;
/// impl SignatureVerifier for NoKeys {
///     fn verify(&self, _: &Header<'_>, _: &[u8], _: &[u8]) -> Result<SignatureVerified, JwtError> {
///         Err(SelectionError::UnknownKey.into())
///     }
/// }
/// ```
pub trait SignatureVerifier {
    /// Checks `signature` over `signing_input` (the token's `header.payload` text).
    ///
    /// # Errors
    /// [`JwtError::KeySelection`] with [`SelectionError::UnknownKey`] when no key has the
    /// token's `kid` (the host may refresh its keys and retry), with
    /// [`SelectionError::KeyTypeMismatch`] and its siblings when a key is there but does not
    /// fit; [`JwtError::BadSignature`] when the signature does not verify.
    ///
    /// [`SelectionError::UnknownKey`]: crate::SelectionError::UnknownKey
    /// [`SelectionError::KeyTypeMismatch`]: crate::SelectionError::KeyTypeMismatch
    fn verify(
        &self,
        header: &Header<'_>,
        signing_input: &[u8],
        signature: &[u8],
    ) -> Result<SignatureVerified, JwtError>;
}

impl<V: SignatureVerifier + ?Sized> SignatureVerifier for &V {
    fn verify(
        &self,
        header: &Header<'_>,
        signing_input: &[u8],
        signature: &[u8],
    ) -> Result<SignatureVerified, JwtError> {
        (**self).verify(header, signing_input, signature)
    }
}

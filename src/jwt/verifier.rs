//! The signature verification capability (RFC 7515 §5.2 step 8): keys in, verdict out.

use crate::error::Error;
use crate::jwt::header::Header;

/// Proof that the signature over one signing input verified (rustls's
/// `HandshakeSignatureValid`). It names the input it is for: the claims check takes it by
/// value and refuses a proof for another token, so "validated but unsigned" does not
/// type-check, and every place that makes one is found by `grep assertion(`.
#[derive(Debug)]
#[must_use = "a verification proof is meant for the claims check"]
pub struct SignatureVerified<'t>(&'t [u8]);

impl<'t> SignatureVerified<'t> {
    /// Makes the proof for `signing_input`, the very slice
    /// [`SignatureVerifier::verify`] was given. Call it only after the signature over it
    /// really verified.
    ///
    /// ```
    /// let input = b"eyJhbGciOiJSUzI1NiJ9.e30";
    /// let _proof = implicit_grant::SignatureVerified::assertion(input);
    /// ```
    pub const fn assertion(signing_input: &'t [u8]) -> Self {
        Self(signing_input)
    }

    /// Whether this is the proof for `signing_input`: the same slice, not merely equal
    /// bytes.
    pub(crate) fn is_for(&self, signing_input: &[u8]) -> bool {
        core::ptr::eq(self.0, signing_input)
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
/// use implicit_grant::{Error, SelectionError};
/// /// Refuses everything: a verifier that holds no keys.
/// struct NoKeys;
/// impl SignatureVerifier for NoKeys {
///     fn verify<'t>(&self, _: &Header<'_>, _: &'t [u8], _: &[u8])
///         -> Result<SignatureVerified<'t>, Error>
///     {
///         Err(SelectionError::UnknownKey.into())
///     }
/// }
/// ```
pub trait SignatureVerifier {
    /// Checks `signature` over `signing_input` (the token's `header.payload` text).
    ///
    /// # Errors
    /// [`Error::KeySelection`] with [`SelectionError::UnknownKey`] when no key has the
    /// token's `kid` (the host may refresh its keys and retry), with
    /// [`SelectionError::KeyTypeMismatch`] and its siblings when a key is there but does not
    /// fit; [`JwtError::BadSignature`](crate::JwtError::BadSignature) when the signature
    /// does not verify.
    ///
    /// [`SelectionError::UnknownKey`]: crate::SelectionError::UnknownKey
    /// [`SelectionError::KeyTypeMismatch`]: crate::SelectionError::KeyTypeMismatch
    fn verify<'t>(
        &self,
        header: &Header<'_>,
        signing_input: &'t [u8],
        signature: &[u8],
    ) -> Result<SignatureVerified<'t>, Error>;
}

impl<V: SignatureVerifier + ?Sized> SignatureVerifier for &V {
    fn verify<'t>(
        &self,
        header: &Header<'_>,
        signing_input: &'t [u8],
        signature: &[u8],
    ) -> Result<SignatureVerified<'t>, Error> {
        (**self).verify(header, signing_input, signature)
    }
}

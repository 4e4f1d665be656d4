//! Splitting a compact JWS (RFC 7515 §7.1): `header.payload.signature`.

use crate::codec::scan;
use crate::error::JwtError;
use crate::limits::MAX_TOKEN_LEN;

/// The three base64url segments of a compact JWS, borrowed from the token.
///
/// `Debug` is redacted: an ID token can be replayed as `id_token_hint`.
#[derive(Clone, Copy)]
pub struct Compact<'t> {
    signing_input: &'t str,
    header: &'t str,
    payload: &'t str,
    signature: &'t str,
}

impl<'t> Compact<'t> {
    /// Splits `token` into its segments. The header and payload must be non-empty; the
    /// signature may be empty here (an unsecured JWS is refused later, by its `alg`).
    ///
    /// # Errors
    /// [`JwtError::EncryptedUnsupported`] for five segments (a JWE, RFC 7516 §9);
    /// [`JwtError::NotCompact`] for any other shape; [`JwtError::TokenTooLarge`] past
    /// [`MAX_TOKEN_LEN`].
    ///
    /// ```
    /// use implicit_grant::{JwtError, jwt::Compact};
    /// let c = Compact::split("aGVhZA.cGF5bG9hZA.c2ln")?;
    /// assert_eq!((c.header(), c.payload(), c.signature()), ("aGVhZA", "cGF5bG9hZA", "c2ln"));
    /// assert_eq!(c.signing_input(), "aGVhZA.cGF5bG9hZA");
    /// assert_eq!(Compact::split("a.b").unwrap_err(), JwtError::NotCompact);
    /// assert_eq!(Compact::split("a.b.c.d.e").unwrap_err(), JwtError::EncryptedUnsupported);
    /// # Ok::<(), JwtError>(())
    /// ```
    pub fn split(token: &'t str) -> Result<Self, JwtError> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(JwtError::TokenTooLarge);
        }
        // One forward pass over the token, sixteen bytes at a time: the two dots, then none
        // in the signature.
        let dot = |s: &str| scan::find(s.as_bytes(), b'.');
        let (header, rest) = token
            .split_at_checked(dot(token))
            .ok_or(JwtError::NotCompact)?;
        let rest = rest.strip_prefix('.').ok_or(JwtError::NotCompact)?;
        let (payload, signature) = rest
            .split_at_checked(dot(rest))
            .ok_or(JwtError::NotCompact)?;
        let signature = signature.strip_prefix('.').ok_or(JwtError::NotCompact)?;
        let signing_input = token
            .get(..header.len().saturating_add(1).saturating_add(payload.len()))
            .ok_or(JwtError::NotCompact)?;
        if dot(signature) != signature.len() {
            return Err(if token.split('.').count() == 5 {
                JwtError::EncryptedUnsupported
            } else {
                JwtError::NotCompact
            });
        }
        if header.is_empty() || payload.is_empty() {
            return Err(JwtError::NotCompact);
        }
        Ok(Self {
            signing_input,
            header,
            payload,
            signature,
        })
    }

    /// `header.payload`, the exact bytes the signature covers (RFC 7515 §5.2).
    #[must_use]
    pub const fn signing_input(&self) -> &'t str {
        self.signing_input
    }

    /// The header segment (base64url).
    #[must_use]
    pub const fn header(&self) -> &'t str {
        self.header
    }

    /// The payload segment (base64url).
    #[must_use]
    pub const fn payload(&self) -> &'t str {
        self.payload
    }

    /// The signature segment (base64url).
    #[must_use]
    pub const fn signature(&self) -> &'t str {
        self.signature
    }
}

crate::secret::redacted_debug!(Compact<'_>);

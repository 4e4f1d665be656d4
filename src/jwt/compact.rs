//! Splitting a compact JWS (RFC 7515 §7.1): `header.payload.signature`.

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
    /// [`JwtError::Malformed`] for any other shape; [`JwtError::TooLarge`] past
    /// [`MAX_TOKEN_LEN`].
    ///
    /// ```
    /// use implicit_grant::{JwtError, jwt::Compact};
    /// let c = Compact::split("aGVhZA.cGF5bG9hZA.c2ln")?;
    /// assert_eq!((c.header(), c.payload(), c.signature()), ("aGVhZA", "cGF5bG9hZA", "c2ln"));
    /// assert_eq!(c.signing_input(), "aGVhZA.cGF5bG9hZA");
    /// assert_eq!(Compact::split("a.b").unwrap_err(), JwtError::Malformed);
    /// assert_eq!(Compact::split("a.b.c.d.e").unwrap_err(), JwtError::EncryptedUnsupported);
    /// # Ok::<(), JwtError>(())
    /// ```
    pub fn split(token: &'t str) -> Result<Self, JwtError> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(JwtError::TooLarge);
        }
        // One forward pass over the token: the two dots, then none in the signature.
        let (header, rest) = token.split_once('.').ok_or(JwtError::Malformed)?;
        let (payload, signature) = rest.split_once('.').ok_or(JwtError::Malformed)?;
        let signing_input = token
            .get(
                ..token
                    .len()
                    .saturating_sub(signature.len().saturating_add(1)),
            )
            .ok_or(JwtError::Malformed)?;
        if signature.contains('.') {
            return Err(if token.split('.').count() == 5 {
                JwtError::EncryptedUnsupported
            } else {
                JwtError::Malformed
            });
        }
        if header.is_empty() || payload.is_empty() {
            return Err(JwtError::Malformed);
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

//! Splitting a compact JWS (RFC 7515 §7.1): `header.payload.signature`.

use crate::codec::scan;
use crate::error::JwtError;
use crate::limits::MAX_TOKEN_LEN;

/// The three base64url segments of a compact JWS, borrowed from the token.
///
/// `Debug` is redacted: an ID token can be replayed as `id_token_hint`.
///
/// ```
/// use implicit_grant::jwt::Compact;
/// // RFC 7515 Appendix A.1
/// let token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.\
///     eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.\
///     dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
/// let jws = Compact::split(token)?;
/// assert_eq!(jws.signature(), "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
/// assert_eq!(format!("{jws:?}"), "Compact([redacted])");
/// # Ok::<(), implicit_grant::JwtError>(())
/// ```
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
    /// assert_eq!(Compact::split("a.b").err(), Some(JwtError::NotCompact));
    /// assert_eq!(Compact::split("a.b.c.d.e").err(), Some(JwtError::EncryptedUnsupported));
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
    ///
    /// ```
    /// # use implicit_grant::jwt::Compact;
    /// # let token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    /// let jws = Compact::split(token)?; // RFC 7515 Appendix A.1
    /// assert_eq!(jws.signing_input(), format!("{}.{}", jws.header(), jws.payload()));
    /// assert!(token.starts_with(jws.signing_input()));
    /// # Ok::<(), implicit_grant::JwtError>(())
    /// ```
    #[must_use]
    pub const fn signing_input(&self) -> &'t str {
        self.signing_input
    }

    /// The header segment (base64url).
    ///
    /// ```
    /// # use implicit_grant::jwt::Compact;
    /// # let token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    /// let jws = Compact::split(token)?; // RFC 7515 Appendix A.1
    /// assert_eq!(jws.header(), "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"); // {"typ":"JWT",\r\n "alg":"HS256"}
    /// # Ok::<(), implicit_grant::JwtError>(())
    /// ```
    #[must_use]
    pub const fn header(&self) -> &'t str {
        self.header
    }

    /// The payload segment (base64url).
    ///
    /// ```
    /// # use implicit_grant::jwt::Compact;
    /// # let token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    /// let jws = Compact::split(token)?; // RFC 7515 Appendix A.1
    /// assert_eq!(
    ///     jws.payload(),
    ///     "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    /// );
    /// # Ok::<(), implicit_grant::JwtError>(())
    /// ```
    #[must_use]
    pub const fn payload(&self) -> &'t str {
        self.payload
    }

    /// The signature segment (base64url).
    ///
    /// ```
    /// # use implicit_grant::jwt::Compact;
    /// # let token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    /// let jws = Compact::split(token)?; // RFC 7515 Appendix A.1
    /// assert_eq!(jws.signature(), "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    /// # Ok::<(), implicit_grant::JwtError>(())
    /// ```
    #[must_use]
    pub const fn signature(&self) -> &'t str {
        self.signature
    }
}

crate::secret::redacted_debug!(Compact<'_>);

//! PKCE (RFC 7636): the code verifier a client keeps and the `S256` challenge it sends.
//!
//! Only `S256` exists here: `plain` sends the verifier itself, which PKCE is meant to keep
//! secret (RFC 7636 §4.2, RFC 9700 §2.1.1), and a server that sees no method assumes it.

use crate::codec::base64url;
use crate::codec::digest::{Digest, Sha256};
use crate::error::ConfigError;
use crate::oauth::param::Param;
use crate::secret::redacted_debug;

/// Shortest and longest verifier (RFC 7636 §4.1: `43*128unreserved`).
const VERIFIER_LEN: core::ops::RangeInclusive<usize> = 43..=128;
/// `BASE64URL(SHA-256)` is 43 characters.
const CHALLENGE_LEN: usize = 43;

/// A PKCE code verifier (RFC 7636 §4.1): 43 to 128 characters of `ALPHA / DIGIT / "-" /
/// "." / "_" / "~"`. Sent once, in the token request; until then a secret.
///
/// ```
/// use implicit_grant::{CodeVerifier, ConfigError, Param};
/// // RFC 7636 Appendix B
/// let verifier = CodeVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")?;
/// assert_eq!(format!("{verifier:?}"), "CodeVerifier([redacted])");
/// assert_eq!(verifier.challenge().as_str(), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
/// assert_eq!(CodeVerifier::new("too-short").err(), Some(ConfigError::Invalid(Param::CodeVerifier)));
/// # Ok::<(), ConfigError>(())
/// ```
#[derive(Clone, Copy)]
pub struct CodeVerifier<'a>(&'a str);

impl<'a> CodeVerifier<'a> {
    /// Checks `verifier` against RFC 7636 §4.1.
    ///
    /// # Errors
    /// [`ConfigError::Invalid`]`(`[`Param::CodeVerifier`]`)` for a length outside 43..=128
    /// or a character outside `unreserved` (a `+`, `/` or `=` of standard base64, a space,
    /// anything not ASCII).
    pub fn new(verifier: &'a str) -> Result<Self, ConfigError> {
        let unreserved = verifier.bytes().all(crate::codec::percent::is_unreserved);
        if VERIFIER_LEN.contains(&verifier.len()) && unreserved {
            Ok(Self(verifier))
        } else {
            Err(ConfigError::Invalid(Param::CodeVerifier))
        }
    }

    /// The verifier, for the token request's `code_verifier`.
    ///
    /// # Security
    /// Whoever holds the verifier and steals the code can redeem it: keep it out of logs
    /// and out of the authorization request.
    ///
    /// ```
    /// let v = implicit_grant::CodeVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")?;
    /// assert_eq!(v.expose_secret().len(), 43);
    /// # Ok::<(), implicit_grant::ConfigError>(())
    /// ```
    #[must_use]
    pub const fn expose_secret(&self) -> &'a str {
        self.0
    }

    /// The `S256` challenge: `BASE64URL(SHA-256(ASCII(code_verifier)))` (RFC 7636 §4.2).
    ///
    /// ```
    /// let v = implicit_grant::CodeVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")?;
    /// assert_eq!(v.challenge().as_str(), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    /// # Ok::<(), implicit_grant::ConfigError>(())
    /// ```
    #[must_use]
    pub fn challenge(&self) -> CodeChallenge {
        let digest: [u8; 32] = Sha256::digest(self.0.as_bytes()).into();
        let mut text = [0u8; CHALLENGE_LEN];
        // 32 bytes are exactly 43 base64url characters.
        let _ = base64url::encode_into(&digest, &mut text);
        CodeChallenge(text)
    }
}

redacted_debug!(CodeVerifier<'_>);

/// The `S256` code challenge of a [`CodeVerifier`] (RFC 7636 §4.2): public, sent in the
/// authorization request with `code_challenge_method=S256`.
///
/// ```
/// let v = implicit_grant::CodeVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")?;
/// assert_eq!(implicit_grant::CodeChallenge::METHOD, "S256");
/// assert_eq!(v.challenge().as_str().len(), 43);
/// # Ok::<(), implicit_grant::ConfigError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CodeChallenge([u8; CHALLENGE_LEN]);

impl CodeChallenge {
    /// The `code_challenge_method` of every challenge this crate makes.
    pub const METHOD: &'static str = "S256";

    /// A challenge of the right form, for checking a request before one is drawn.
    pub(crate) const STAND_IN: Self = Self([b'A'; CHALLENGE_LEN]);

    /// The challenge's 43 base64url characters.
    ///
    /// ```
    /// let v = implicit_grant::CodeVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")?;
    /// assert!(v.challenge().as_str().starts_with("E9Melhoa"));
    /// # Ok::<(), implicit_grant::ConfigError>(())
    /// ```
    #[must_use]
    pub fn as_str(&self) -> &str {
        // Written by the base64url encoder: ASCII.
        core::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl core::fmt::Debug for CodeChallenge {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("CodeChallenge")
            .field(&self.as_str())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7636 Appendix B: the verifier's octets, then its challenge.
    #[test]
    fn rfc7636_appendix_b() {
        let octets = [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212,
            37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
        ];
        let mut text = [0u8; 43];
        let verifier = base64url::encode_into(&octets, &mut text).unwrap();
        assert_eq!(verifier, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        let challenge = CodeVerifier::new(verifier).unwrap().challenge();
        assert_eq!(
            challenge.as_str(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }
}

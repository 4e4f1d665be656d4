//! Layer 1: compact JWS (RFC 7515), JWT claims (RFC 7519) and OIDC ID token validation
//! (OIDC Core §3.1.3.7, §3.2.2.11). Pure: keys, time and expectations are parameters.

pub(crate) mod at_hash;
pub(crate) mod claims;
pub(crate) mod compact;
pub(crate) mod header;
pub(crate) mod validate;
pub(crate) mod verifier;

use crate::codec::{base64url, json};
use crate::error::{Error, JwtError};
use crate::limits::MAX_SIGNATURE_LEN;

pub use at_hash::at_hash;
pub use claims::{Audience, IdTokenClaims, Json};
pub use compact::Compact;
pub use header::Header;
// At the crate root; named here for the crate's own modules.
pub(crate) use validate::{Expectations, verify_id_token};
pub(crate) use verifier::SignatureVerifier;

/// Bytes of scratch that [`verify_id_token`] (or [`decode_header`] plus
/// [`decode_unverified_claims`]) may need for a token of `token_len` bytes.
///
/// ```
/// assert_eq!(implicit_grant::jwt::scratch_len(1000), 1500);
/// ```
#[must_use]
pub const fn scratch_len(token_len: usize) -> usize {
    token_len.saturating_add(token_len / 2)
}

/// Decodes one base64url segment holding a JSON object into the front of `scratch`, in
/// canonical form, and returns it with the unused rest of `scratch`.
fn decode_json<'p>(segment: &str, scratch: &'p mut [u8]) -> Result<(&'p str, &'p mut [u8]), Error> {
    let decoded_len = base64url::decoded_len(segment)?;
    let mid = scratch
        .len()
        .checked_sub(decoded_len)
        .filter(|&mid| mid >= decoded_len)
        .ok_or(Error::BufferTooSmall {
            required: decoded_len.saturating_mul(2),
        })?;
    let (front, back) = scratch.split_at_mut(mid);
    let decoded = base64url::decode_into(segment, back)?;
    let canonical_len = json::canonicalize(decoded, front)?;
    let (canonical, rest) = scratch.split_at_mut(canonical_len);
    let text = core::str::from_utf8(canonical).map_err(|_| JwtError::InvalidJson)?;
    Ok((text, rest))
}

/// The bytes of scratch [`verify_id_token`] needs for `compact`: twice the decoded header
/// and payload, and the decoded signature (at most
/// [`MAX_SIGNATURE_LEN`](crate::limits::MAX_SIGNATURE_LEN): a longer one is refused).
pub(crate) fn required_scratch(compact: &Compact<'_>) -> Result<usize, Error> {
    scratch_for_segments(
        compact.header().len(),
        compact.payload().len(),
        compact.signature().len(),
    )
}

/// The same for a token known only as its decoded bytes (a percent-escaped `id_token`,
/// RFC 6749 App. B, measured without a copy): three dot-separated segments or
/// [`JwtError::NotCompact`].
pub(crate) fn required_scratch_decoded(token: impl Iterator<Item = u8>) -> Result<usize, Error> {
    let mut lens = [0usize; 3];
    let mut segments = lens.iter_mut();
    let mut current = segments.next();
    for byte in token {
        match (byte, current.as_deref_mut()) {
            (b'.', _) => current = Some(segments.next().ok_or(JwtError::NotCompact)?),
            (_, Some(len)) => *len = len.saturating_add(1),
            (_, None) => {}
        }
    }
    if segments.next().is_some() {
        return Err(JwtError::NotCompact.into());
    }
    let [header, payload, signature] = lens;
    scratch_for_segments(header, payload, signature)
}

/// The same, from the lengths of the three segments (base64url text).
fn scratch_for_segments(header: usize, payload: usize, signature: usize) -> Result<usize, Error> {
    let header = base64url::len_decoded(header)?;
    let payload = base64url::len_decoded(payload)?;
    // A signature of an impossible length fails when it is decoded, as a bad signature.
    let signature = base64url::len_decoded(signature).map_or(0, |n| n.min(MAX_SIGNATURE_LEN));
    let required = header
        .checked_add(payload)
        .and_then(|n| n.checked_mul(2))
        .and_then(|n| n.checked_add(signature));
    Ok(required.ok_or(JwtError::TokenTooLarge)?)
}

/// Decodes the JOSE header of a compact JWS into `scratch`, without verifying anything.
///
/// # Errors
/// [`JwtError`]s for a malformed token or header; [`Error::BufferTooSmall`] when `scratch`
/// holds less than twice the decoded header.
///
/// ```
/// use implicit_grant::{Algorithm, jwt::decode_header};
/// let mut scratch = [0u8; 256];
/// let h = decode_header("eyJraWQiOiIxZTlnZGs3IiwiYWxnIjoiUlMyNTYifQ.e30.c2ln", &mut scratch)?;
/// assert_eq!((h.alg, h.kid), (Algorithm::RS256, Some("1e9gdk7")));
/// # Ok::<(), implicit_grant::Error>(())
/// ```
pub fn decode_header<'p>(token: &str, scratch: &'p mut [u8]) -> Result<Header<'p>, Error> {
    let compact = Compact::split(token)?;
    Ok(header_of(&compact, scratch)?.0)
}

fn header_of<'p>(
    compact: &Compact<'_>,
    scratch: &'p mut [u8],
) -> Result<(Header<'p>, &'p mut [u8]), Error> {
    let (text, rest) = decode_json(compact.header(), scratch).map_err(|e| match e {
        Error::Jwt(JwtError::InvalidJson | JwtError::ClaimsNotObject) => {
            Error::Jwt(JwtError::InvalidHeader)
        }
        other => other,
    })?;
    Ok((Header::from_json(text)?, rest))
}

/// Decodes the claims of a compact JWS into `scratch` **without verifying the signature**.
///
/// # Errors
/// [`JwtError`]s for a malformed token or payload; [`Error::BufferTooSmall`] when `scratch`
/// holds less than twice the decoded payload.
///
/// # Security
/// Nothing here is authentic. Use [`verify_id_token`] to accept a token; this is for
/// inspection, logging and tests.
///
/// ```
/// use implicit_grant::jwt::decode_unverified_claims;
/// #[derive(serde::Deserialize)]
/// struct Sub<'a> { sub: &'a str }
/// let mut scratch = [0u8; 256];
/// let untrusted = decode_unverified_claims("e30.eyJzdWIiOiIyNDgyODk3NjEwMDEifQ.c2ln", &mut scratch)?;
/// assert_eq!(untrusted.deserialize::<Sub>(&mut [])?.sub, "248289761001");
/// # Ok::<(), implicit_grant::Error>(())
/// ```
pub fn decode_unverified_claims<'p>(
    token: &str,
    scratch: &'p mut [u8],
) -> Result<UnverifiedClaims<'p>, Error> {
    let compact = Compact::split(token)?;
    Ok(UnverifiedClaims(Json::new(
        decode_json(compact.payload(), scratch)?.0,
    )))
}

/// The `iss` and `sub` of an ID token, read without verifying it
/// ([`IdTokenHint::read`](crate::IdTokenHint::read)): its claims must read as an ID token's.
pub(crate) fn issuer_and_subject<'p>(
    token: &str,
    scratch: &'p mut [u8],
) -> Result<(&'p str, &'p str), Error> {
    let claims = unverified_id_token_claims(token, scratch)?;
    Ok((claims.iss, claims.sub))
}

/// The claims of an ID token this crate verified earlier (an `id_token_hint`, a session's
/// ID token), read again without verifying it, to compare with. Never handed out: only
/// verification makes the public [`IdTokenClaims`].
pub(crate) fn unverified_id_token_claims<'p>(
    token: &str,
    scratch: &'p mut [u8],
) -> Result<IdTokenClaims<'p>, Error> {
    let claims = decode_unverified_claims(token, scratch)?;
    // The algorithm is not read: nothing here is verified.
    Ok(IdTokenClaims::from_json(claims.0, crate::Algorithm::RS256)?)
}

/// Claims read **without verifying the signature** ([`decode_unverified_claims`]): for
/// inspection, logging and tests. The type says so, and no public function takes it where
/// verified claims are needed ([`IdTokenClaims`] comes only from verification).
///
/// ```
/// let mut scratch = [0u8; 256];
/// let untrusted = implicit_grant::jwt::decode_unverified_claims("e30.e30.c2ln", &mut scratch)?;
/// assert_eq!(format!("{untrusted:?}"), "UnverifiedClaims([redacted])");
/// # Ok::<(), implicit_grant::Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct UnverifiedClaims<'p>(Json<'p>);

impl<'p> UnverifiedClaims<'p> {
    /// Deserializes the unverified claims into `T`; see [`Json::deserialize`].
    ///
    /// # Errors
    /// [`JwtError::Deserialize`] when the claims do not fit `T`.
    ///
    /// ```
    /// #[derive(serde::Deserialize)]
    /// struct Exp { exp: u64 }
    /// let mut scratch = [0u8; 256];
    /// // {"exp":1311281970}
    /// let untrusted = implicit_grant::jwt::decode_unverified_claims("e30.eyJleHAiOjEzMTEyODE5NzB9.c2ln", &mut scratch)?;
    /// assert_eq!(untrusted.deserialize::<Exp>(&mut [])?.exp, 1311281970);
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    pub fn deserialize<T: serde::Deserialize<'p>>(
        &self,
        unescape: &mut [u8],
    ) -> Result<T, JwtError> {
        self.0.deserialize(unescape)
    }

    /// The canonical JSON text of the unverified claims.
    ///
    /// # Security
    /// Unverified, and it may hold a nonce and personal data.
    ///
    /// ```
    /// let mut scratch = [0u8; 256];
    /// let untrusted = implicit_grant::jwt::decode_unverified_claims("e30.e30.c2ln", &mut scratch)?;
    /// assert_eq!(untrusted.expose_secret(), "{}");
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    #[must_use]
    pub const fn expose_secret(&self) -> &'p str {
        self.0.expose_secret()
    }
}

crate::secret::redacted_debug!(UnverifiedClaims<'_>);

/// Crate-private entry points for the fuzz targets (built with `--cfg fuzzing` only).
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod __fuzzing {
    use super::{IdTokenClaims, Json};
    use crate::Algorithm;

    /// Reads ID token claims from canonical JSON text, as verification does after the
    /// signature: whether they read.
    pub fn read_claims(canonical: &str) -> bool {
        IdTokenClaims::from_json(Json::new(canonical), Algorithm::RS256).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `e30.<payload>.c2ln`: an empty header, `payload` in base64url, a dummy signature.
    fn token(payload: &[u8]) -> std::string::String {
        let mut b64 = [0u8; 128];
        let encoded = base64url::encode_into(payload, &mut b64).unwrap();
        std::format!("e30.{encoded}.c2ln")
    }

    fn decoded(payload: &[u8]) -> Result<std::string::String, Error> {
        let mut scratch = [0u8; 256];
        let json = decode_unverified_claims(&token(payload), &mut scratch)?;
        Ok(json.expose_secret().into())
    }

    #[test]
    fn scratch_measured_on_decoded_bytes_agrees_with_the_split_token() {
        let t = token(br#"{"sub":"248289761001","nonce":"n-0S6_WzA2Mj"}"#);
        let split = required_scratch(&Compact::split(&t).unwrap());
        assert_eq!(required_scratch_decoded(t.bytes()), split);
        for malformed in ["e30.c2ln", "e30.e30.c2ln.c2ln", ""] {
            assert_eq!(
                required_scratch_decoded(malformed.bytes()),
                Err(Error::Jwt(JwtError::NotCompact)),
                "{malformed}"
            );
        }
    }

    #[test]
    fn rfc7519_4_payloads_are_canonicalized_and_duplicates_found_after_unescaping() {
        let plain = br#"{"sub":"248289761001","aud":["a","b"],"n":-1.5e3,"t":true}"#;
        assert_eq!(decoded(plain).unwrap().as_bytes(), plain);
        // Whitespace and escapes go; names are compared unescaped.
        assert_eq!(
            decoded(br#"{"sub":"a", "iss":"https:\/\/x"}"#).unwrap(),
            r#"{"sub":"a","iss":"https://x"}"#
        );
        assert_eq!(
            decoded(br#"{"sub":"a","nonce":"x","n\u006fnce":"y"}"#),
            Err(Error::Jwt(JwtError::DuplicateMember))
        );
    }

    /// UTF-8 is checked once, on the canonical copy: an escape never completes a broken
    /// sequence around it (it writes a whole character), and bytes outside strings are
    /// refused as syntax.
    #[test]
    fn rfc8725_3_7_payloads_that_are_not_utf8_are_refused() {
        for payload in [
            &b"{\"sub\":\"\xff\"}"[..],
            b"{ \"sub\":\"\xc3\"}",
            b"{\"s\xe9\":1}",
            b"{\"sub\":\"\xc3\\u00e9\"}",
            b"{\"sub\":\"\\u00e9\xa9\"}",
            b"{\"sub\":\"\xe2\x82\\u00ac\"}",
            b"{\"sub\":1\xc2\xa0}",
        ] {
            assert_eq!(
                decoded(payload),
                Err(Error::Jwt(JwtError::InvalidJson)),
                "{payload:?}"
            );
        }
    }
}

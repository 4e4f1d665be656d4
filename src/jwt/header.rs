//! The JOSE header (RFC 7515 §4).

use crate::algorithm::Algorithm;
use crate::codec::json::{self, Value};
use crate::error::JwtError;

/// The JOSE header members this crate reads. `jwk`, `jku`, `x5u` and `x5c` are ignored:
/// keys come only from the caller's verifier (RFC 8725 §3.10).
///
/// ```
/// use implicit_grant::{Algorithm, Error, JwtError, jwt::{Header, decode_header}};
/// let mut scratch = [0u8; 128];
/// // {"alg":"RS256","kid":"1e9gdk7","typ":"JWT"}
/// let token = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjFlOWdkazciLCJ0eXAiOiJKV1QifQ.e30.c2ln";
/// let header: Header<'_> = decode_header(token, &mut scratch)?;
/// assert_eq!(header.alg, Algorithm::RS256);
/// assert_eq!(header.kid, Some("1e9gdk7"));
/// assert_eq!(header.typ, Some("JWT"));
/// // {"alg":"ES256","typ":"at+jwt"}: an access token, not an ID token (RFC 9068 §2.1).
/// let access_token = "eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCJ9.e30.c2ln";
/// assert_eq!(decode_header(access_token, &mut scratch).err(), Some(Error::Jwt(JwtError::UnexpectedTyp)));
/// # Ok::<(), implicit_grant::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Header<'p> {
    /// `alg`.
    pub alg: Algorithm,
    /// `kid`, when present.
    pub kid: Option<&'p str>,
    /// `typ`, when present (absent, `JWT` or `application/jwt` only).
    pub typ: Option<&'p str>,
}

impl<'p> Header<'p> {
    /// Reads a canonical header object.
    pub(crate) fn from_json(text: &'p str) -> Result<Self, JwtError> {
        let (mut alg, mut kid, mut typ) = (None, None, None);
        for member in json::members(text) {
            let (name, value) = member?;
            match name {
                "alg" => alg = Some(Algorithm::from_name(plain(value)?)?),
                "kid" => kid = Some(plain(value)?),
                "typ" => typ = Some(plain(value)?),
                "crit" => {
                    return Err(match value {
                        Value::Array("[]") => JwtError::InvalidHeader,
                        _ => JwtError::UnsupportedCritical,
                    });
                }
                _ => {}
            }
        }
        // RFC 8725 §3.11: another explicit type means another kind of JWT.
        if let Some(t) = typ {
            let t = match t.split_at_checked(12) {
                Some((media, sub)) if media.eq_ignore_ascii_case("application/") => sub,
                _ => t,
            };
            if !t.eq_ignore_ascii_case("jwt") {
                return Err(JwtError::UnexpectedTyp);
            }
        }
        Ok(Self {
            alg: alg.ok_or(JwtError::MissingAlg)?,
            kid,
            typ,
        })
    }
}

/// A string member without escapes.
fn plain(value: Value<'_>) -> Result<&str, JwtError> {
    value.plain_str().flatten().ok_or(JwtError::InvalidHeader)
}

//! The JOSE header (RFC 7515 §4).

use crate::algorithm::Algorithm;
use crate::codec::json::{self, Value};
use crate::error::JwtError;

/// The JOSE header members this crate reads. `jwk`, `jku`, `x5u` and `x5c` are ignored:
/// keys come only from the caller's verifier (RFC 8725 §3.10).
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

//! ID token claims (OIDC Core §2) and custom claims.

use core::fmt;

use crate::algorithm::Algorithm;
use crate::codec::json::{self, Value};
use crate::error::{ClaimsError, JwtError};
use crate::limits::MAX_AUDIENCES;
use crate::secret::redacted;
use crate::time::UnixTime;

/// The canonical text of a validated JSON object (header or claims).
///
/// Strings in it are unescaped except those holding `"`, `\` or control characters, so
/// [`Json::deserialize`] lends `&str` fields straight from it. `Debug` is redacted (claims
/// hold the nonce and personal data).
#[derive(Clone, Copy)]
pub struct Json<'p>(&'p str);

impl<'p> Json<'p> {
    pub(crate) const fn new(text: &'p str) -> Self {
        Self(text)
    }

    /// The canonical JSON text.
    ///
    /// # Security
    /// It holds every claim, including the nonce and personal data.
    #[must_use]
    pub const fn expose_secret(&self) -> &'p str {
        self.0
    }

    /// Deserializes the object into `T` with `serde-json-core`.
    ///
    /// `&str` fields borrow from the canonical text, JSON escapes already resolved
    /// (`"https:\/\/x"` arrives as `https://x`). A string holding `"`, `\` or a control
    /// character is unescaped into `unescape` instead, and only an owned field
    /// (`heapless::String<N>`) can receive it; pass `&mut []` when no such string is expected.
    ///
    /// # Errors
    /// [`JwtError::Deserialize`] when the JSON does not fit `T`.
    ///
    /// # Examples
    /// Namespaced custom claims, as Auth0 adds them:
    /// ```
    /// use implicit_grant::jwt::decode_unverified_claims;
    /// #[derive(serde::Deserialize)]
    /// struct Custom<'a> {
    ///     #[serde(rename = "https://foo.com/myclaim")]
    ///     my_claim: &'a str,
    ///     name: heapless::String<32>,
    /// }
    /// // {"https:\/\/foo.com\/myclaim":"x","name":"Jane \"JD\" Doe"}
    /// let token = "e30.eyJodHRwczpcL1wvZm9vLmNvbVwvbXljbGFpbSI6IngiLCJuYW1lIjoiSmFuZSBcIkpEXCIgRG9lIn0.c2ln";
    /// let mut scratch = [0u8; 256];
    /// let json = decode_unverified_claims(token, &mut scratch)?;
    /// let c: Custom = json.deserialize(&mut [0u8; 32])?;
    /// assert_eq!((c.my_claim, c.name.as_str()), ("x", "Jane \"JD\" Doe"));
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    pub fn deserialize<T: serde::Deserialize<'p>>(
        &self,
        unescape: &mut [u8],
    ) -> Result<T, JwtError> {
        Ok(json::deserialize(self.0, unescape)?)
    }
}

crate::secret::redacted_debug!(Json<'_>);

/// `aud`: one string or an array of strings (OIDC Core §2, RFC 7519 §4.1.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Audience<'p> {
    /// A single audience.
    One(&'p str),
    /// An array of audiences (its canonical JSON text, every entry checked to be a string).
    Many(&'p str),
}

impl<'p> Audience<'p> {
    /// Each audience.
    ///
    /// ```
    /// let aud = implicit_grant::jwt::Audience::One("s6BhdRkqt3");
    /// assert!(aud.iter().eq(["s6BhdRkqt3"]));
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = &'p str> + 'p {
        let (one, many) = match *self {
            Self::One(s) => (Some(s), "[]"),
            Self::Many(text) => (None, text),
        };
        let entries = json::elements(many).filter_map(|v| v.ok()?.plain_str().flatten());
        one.into_iter().chain(entries)
    }

    fn parse(value: Value<'p>) -> Result<Self, ClaimsError> {
        let invalid = ClaimsError::InvalidClaimType(Claim::Aud);
        match value {
            Value::Str(..) => Ok(Self::One(string(value, Claim::Aud)?)),
            Value::Array(text) => {
                let mut count = 0usize;
                for entry in json::elements(text) {
                    string(entry.map_err(|_| invalid)?, Claim::Aud)?;
                    count = count.saturating_add(1);
                }
                if count > MAX_AUDIENCES {
                    return Err(ClaimsError::TooManyAudiences);
                }
                Ok(Self::Many(text))
            }
            _ => Err(invalid),
        }
    }
}

/// A getter per standard claim of [`IdTokenClaims`], each with an example over the OIDC
/// Core §3.2.2.1 client's HS256 ID token.
macro_rules! claim_getters {
    ($($(#[$doc:meta])* $name:ident: $ty:ty = $expected:literal;)*) => {$(
        $(#[$doc])*
        ///
        /// ```
        /// # #[cfg(feature = "hmac")] {
        /// # use implicit_grant::{jwt::Audience, verify::HmacKey, *};
        /// # let token = "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJodHRwczovL3NlcnZlci5leGFtcGxlLmNvbSIsInN1YiI6IjI0ODI4OTc2MTAwMSIsImF1ZCI6InM2QmhkUmtxdDMiLCJub25jZSI6Im4tMFM2X1d6QTJNaiIsImV4cCI6MTMxMTI4MTk3MCwiaWF0IjoxMzExMjgwOTcwfQ.Vp5eIbjTwSjt9r5_vhYddI1zvxPqwU3Ke8SQNrsl5yY";
        /// # let key = HmacKey::hs256(b"a shared secret of 32 bytes or more!")?;
        /// # let e = Expectations::new("https://server.example.com", "s6BhdRkqt3", "n-0S6_WzA2Mj",
        /// #     UnixTime::from_secs(1311281000)).algorithms(&[Algorithm::HS256]);
        /// # let mut scratch = [0u8; 512];
        /// let claims = verify_id_token(token, &e, &key, &mut scratch)?;
        #[doc = concat!("assert_eq!(claims.", stringify!($name), "(), ", $expected, ");")]
        /// # }
        /// # Ok::<(), implicit_grant::Error>(())
        /// ```
        #[must_use]
        pub const fn $name(&self) -> $ty {
            self.$name
        }
    )*};
}

/// The verified claims of an ID token (OIDC Core §2), borrowed from the caller's scratch
/// buffer, with the algorithm that verified them.
///
/// Only [`verify_id_token`](crate::verify_id_token) and [`complete`](crate::complete) make
/// one, after the signature verified and every claim check passed: nothing public turns
/// unverified claims into these ([`decode_unverified_claims`](crate::jwt::decode_unverified_claims)
/// gives [`UnverifiedClaims`](crate::jwt::UnverifiedClaims)).
///
/// String claims are unescaped JSON strings. One that holds `"`, `\` or a control character
/// cannot be borrowed and is refused as [`ClaimsError::InvalidClaimValue`]; read such values
/// through [`IdTokenClaims::decode_claims`] into owned fields. `Debug` redacts `nonce`.
#[derive(Clone, Copy)]
#[non_exhaustive]
pub struct IdTokenClaims<'p> {
    /// `iss`: the issuer.
    pub(crate) iss: &'p str,
    /// `sub`: the subject (at most 255 ASCII characters).
    pub(crate) sub: &'p str,
    /// `aud`: the audiences.
    pub(crate) aud: Audience<'p>,
    /// `exp`: expiry.
    pub(crate) exp: UnixTime,
    /// `iat`: issue time.
    pub(crate) iat: UnixTime,
    /// `nbf`: not before.
    pub(crate) nbf: Option<UnixTime>,
    /// `nonce`.
    pub(crate) nonce: Option<&'p str>,
    /// `azp`: authorized party.
    pub(crate) azp: Option<&'p str>,
    /// `at_hash`: access token hash.
    pub(crate) at_hash: Option<&'p str>,
    /// `auth_time`: when the user authenticated.
    pub(crate) auth_time: Option<UnixTime>,
    /// `acr`: authentication context class reference.
    pub(crate) acr: Option<&'p str>,
    json: Json<'p>,
    alg: Algorithm,
}

impl fmt::Debug for IdTokenClaims<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdTokenClaims")
            .field("iss", &self.iss)
            .field("sub", &self.sub)
            .field("aud", &self.aud)
            .field("exp", &self.exp)
            .field("iat", &self.iat)
            .field("nbf", &self.nbf)
            .field("nonce", &redacted(self.nonce))
            .field("azp", &self.azp)
            .field("at_hash", &self.at_hash)
            .field("auth_time", &self.auth_time)
            .field("acr", &self.acr)
            .field("alg", &self.alg)
            .finish_non_exhaustive()
    }
}

impl<'p> IdTokenClaims<'p> {
    /// Reads the claims from a canonical claims object. Unknown claims are ignored
    /// (OIDC Core §2); `null` counts as absent.
    ///
    /// [`ClaimsError::MissingClaim`] for a missing `iss`, `sub`, `aud`, `exp` or `iat`;
    /// [`ClaimsError::InvalidClaimType`] and [`ClaimsError::InvalidClaimValue`] per claim.
    /// `alg` is the algorithm whose signature verified.
    pub(crate) fn from_json(json: Json<'p>, alg: Algorithm) -> Result<Self, ClaimsError> {
        let (mut iss, mut sub, mut aud, mut exp, mut iat) = (None, None, None, None, None);
        let (mut nbf, mut nonce, mut azp, mut at_hash, mut auth_time, mut acr) =
            (None, None, None, None, None, None);
        for member in json::members(json.0) {
            // Canonical text always splits; a failure would mean a claim we cannot read.
            let (name, value) = member.map_err(|_| ClaimsError::InvalidClaimValue(Claim::Iss))?;
            if value == Value::Null {
                continue;
            }
            match name {
                "iss" => iss = Some(string(value, Claim::Iss)?),
                "sub" => sub = Some(string(value, Claim::Sub)?),
                "aud" => aud = Some(Audience::parse(value)?),
                "exp" => exp = Some(date(value, Claim::Exp)?),
                "iat" => iat = Some(date(value, Claim::Iat)?),
                "nbf" => nbf = Some(date(value, Claim::Nbf)?),
                "nonce" => nonce = Some(string(value, Claim::Nonce)?),
                "azp" => azp = Some(string(value, Claim::Azp)?),
                "at_hash" => at_hash = Some(string(value, Claim::AtHash)?),
                "auth_time" => auth_time = Some(date(value, Claim::AuthTime)?),
                "acr" => acr = Some(string(value, Claim::Acr)?),
                _ => {}
            }
        }
        let missing = ClaimsError::MissingClaim;
        let iss = iss.filter(|s| !s.is_empty()).ok_or(missing(Claim::Iss))?;
        let sub = sub.filter(|s| !s.is_empty()).ok_or(missing(Claim::Sub))?;
        if sub.len() > 255 || !sub.is_ascii() {
            return Err(ClaimsError::InvalidClaimValue(Claim::Sub));
        }
        if acr == Some("") {
            return Err(ClaimsError::InvalidClaimValue(Claim::Acr));
        }
        Ok(Self {
            iss,
            sub,
            aud: aud.ok_or(missing(Claim::Aud))?,
            exp: exp.ok_or(missing(Claim::Exp))?,
            iat: iat.ok_or(missing(Claim::Iat))?,
            nbf,
            nonce,
            azp,
            at_hash,
            auth_time,
            acr,
            json,
            alg,
        })
    }

    claim_getters! {
        /// `iss`: the issuer, equal to the expected one.
        iss: &'p str = "\"https://server.example.com\"";
        /// `sub`: the subject (at most 255 ASCII characters).
        sub: &'p str = "\"248289761001\"";
        /// `aud`: the audiences, the client among them.
        aud: Audience<'p> = "Audience::One(\"s6BhdRkqt3\")";
        /// `exp`: expiry.
        exp: UnixTime = "UnixTime::from_secs(1311281970)";
        /// `iat`: issue time.
        iat: UnixTime = "UnixTime::from_secs(1311280970)";
        /// `nbf`: not before.
        nbf: Option<UnixTime> = "None";
        /// `nonce`, equal to the transaction's.
        nonce: Option<&'p str> = "Some(\"n-0S6_WzA2Mj\")";
        /// `azp`: the authorized party.
        azp: Option<&'p str> = "None";
        /// `at_hash`: the access token hash, checked against the access token when both came.
        at_hash: Option<&'p str> = "None";
        /// `auth_time`: when the user authenticated.
        auth_time: Option<UnixTime> = "None";
        /// `acr`: the authentication context class reference.
        acr: Option<&'p str> = "None";
    }

    /// The algorithm whose signature verified these claims (RFC 7515 §4.1.1).
    ///
    /// ```
    /// # #[cfg(feature = "hmac")] {
    /// # use implicit_grant::{verify::HmacKey, *};
    /// # let token = "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJodHRwczovL3NlcnZlci5leGFtcGxlLmNvbSIsInN1YiI6IjI0ODI4OTc2MTAwMSIsImF1ZCI6InM2QmhkUmtxdDMiLCJub25jZSI6Im4tMFM2X1d6QTJNaiIsImV4cCI6MTMxMTI4MTk3MCwiaWF0IjoxMzExMjgwOTcwfQ.Vp5eIbjTwSjt9r5_vhYddI1zvxPqwU3Ke8SQNrsl5yY";
    /// # let key = HmacKey::hs256(b"a shared secret of 32 bytes or more!")?;
    /// # let e = Expectations::new("https://server.example.com", "s6BhdRkqt3", "n-0S6_WzA2Mj",
    /// #     UnixTime::from_secs(1311281000)).algorithms(&[Algorithm::HS256]);
    /// # let mut scratch = [0u8; 512];
    /// let claims = verify_id_token(token, &e, &key, &mut scratch)?;
    /// assert_eq!(claims.alg(), Algorithm::HS256);
    /// # }
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    #[must_use]
    pub const fn alg(&self) -> Algorithm {
        self.alg
    }

    /// All claims, as canonical JSON.
    ///
    /// ```
    /// # #[cfg(feature = "hmac")] {
    /// # use implicit_grant::{verify::HmacKey, *};
    /// # let token = "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJodHRwczovL3NlcnZlci5leGFtcGxlLmNvbSIsInN1YiI6IjI0ODI4OTc2MTAwMSIsImF1ZCI6InM2QmhkUmtxdDMiLCJub25jZSI6Im4tMFM2X1d6QTJNaiIsImV4cCI6MTMxMTI4MTk3MCwiaWF0IjoxMzExMjgwOTcwfQ.Vp5eIbjTwSjt9r5_vhYddI1zvxPqwU3Ke8SQNrsl5yY";
    /// # let key = HmacKey::hs256(b"a shared secret of 32 bytes or more!")?;
    /// # let e = Expectations::new("https://server.example.com", "s6BhdRkqt3", "n-0S6_WzA2Mj",
    /// #     UnixTime::from_secs(1311281000)).algorithms(&[Algorithm::HS256]);
    /// # let mut scratch = [0u8; 512];
    /// let claims = verify_id_token(token, &e, &key, &mut scratch)?;
    /// assert!(claims.json().expose_secret().starts_with(r#"{"iss":"https://server.example.com""#));
    /// # }
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    #[must_use]
    pub const fn json(&self) -> Json<'p> {
        self.json
    }

    /// Deserializes all claims into `T` (custom and namespaced claims, `name`, `email`…);
    /// see [`Json::deserialize`].
    ///
    /// # Errors
    /// [`JwtError::Deserialize`] when the claims do not fit `T`.
    ///
    /// ```
    /// # #[cfg(feature = "hmac")] {
    /// use implicit_grant::{verify::HmacKey, *};
    /// #[derive(serde::Deserialize)]
    /// struct Profile<'a> { name: &'a str, #[serde(rename = "https://foo.com/role")] role: &'a str }
    /// // HS256 over {"iss":"https://server.example.com","sub":"248289761001","aud":"s6BhdRkqt3",
    /// //   "nonce":"n-0S6_WzA2Mj","exp":1311281970,"iat":1311280970,"name":"Jane Doe",
    /// //   "https://foo.com/role":"admin"}
    /// let token = "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJodHRwczovL3NlcnZlci5leGFtcGxlLmNvbSIsInN1YiI6IjI0ODI4OTc2MTAwMSIsImF1ZCI6InM2QmhkUmtxdDMiLCJub25jZSI6Im4tMFM2X1d6QTJNaiIsImV4cCI6MTMxMTI4MTk3MCwiaWF0IjoxMzExMjgwOTcwLCJuYW1lIjoiSmFuZSBEb2UiLCJodHRwczovL2Zvby5jb20vcm9sZSI6ImFkbWluIn0.UFpavQMGq43vXIcPRQHMhP9e8YbQe1K_hs2oyuVF99E";
    /// let key = HmacKey::hs256(b"a shared secret of 32 bytes or more!")?;
    /// let e = Expectations::new("https://server.example.com", "s6BhdRkqt3", "n-0S6_WzA2Mj",
    ///     UnixTime::from_secs(1311281000)).algorithms(&[Algorithm::HS256]);
    /// let mut scratch = [0u8; 1024];
    /// let claims = verify_id_token(token, &e, &key, &mut scratch)?;
    /// let p: Profile = claims.decode_claims(&mut [])?;
    /// assert_eq!((p.name, p.role), ("Jane Doe", "admin"));
    /// # }
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    pub fn decode_claims<T: serde::Deserialize<'p>>(
        &self,
        unescape: &mut [u8],
    ) -> Result<T, JwtError> {
        self.json.deserialize(unescape)
    }
}

/// A string claim that can be borrowed.
fn string(value: Value<'_>, claim: Claim) -> Result<&str, ClaimsError> {
    match value.plain_str() {
        Some(Some(s)) => Ok(s),
        Some(None) => Err(ClaimsError::InvalidClaimValue(claim)),
        None => Err(ClaimsError::InvalidClaimType(claim)),
    }
}

fn date(value: Value<'_>, claim: Claim) -> Result<UnixTime, ClaimsError> {
    match value {
        Value::Num(text) => UnixTime::parse(text).ok_or(ClaimsError::InvalidClaimValue(claim)),
        _ => Err(ClaimsError::InvalidClaimType(claim)),
    }
}

/// A claim of the ID token, named as on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Claim {
    /// `iss`
    Iss,
    /// `sub`
    Sub,
    /// `aud`
    Aud,
    /// `exp`
    Exp,
    /// `iat`
    Iat,
    /// `nbf`
    Nbf,
    /// `nonce`
    Nonce,
    /// `azp`
    Azp,
    /// `at_hash`
    AtHash,
    /// `auth_time`
    AuthTime,
    /// `acr`
    Acr,
}

impl Claim {
    /// The claim's name on the wire.
    ///
    /// ```
    /// assert_eq!(implicit_grant::Claim::AtHash.as_str(), "at_hash");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Iss => "iss",
            Self::Sub => "sub",
            Self::Aud => "aud",
            Self::Exp => "exp",
            Self::Iat => "iat",
            Self::Nbf => "nbf",
            Self::Nonce => "nonce",
            Self::Azp => "azp",
            Self::AtHash => "at_hash",
            Self::AuthTime => "auth_time",
            Self::Acr => "acr",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::MAX_UNIX_TIME;

    fn date(text: &str) -> Option<(u64, bool)> {
        UnixTime::parse(text).map(|d| (d.as_secs(), d.has_fraction()))
    }

    #[test]
    fn rfc7519_2_numeric_dates() {
        for same in [
            "1311281970",
            "1311281970.0",
            "1.31128197e9",
            "1.31128197E+9",
            "13112819700e-1",
        ] {
            assert_eq!(date(same), Some((1311281970, false)), "{same}");
        }
        assert_eq!(date("1311281970.5"), Some((1311281970, true)));
        assert_eq!(date("0.001"), Some((0, true)));
        assert_eq!(date("0"), Some((0, false)));
        assert_eq!(date("5e-7"), Some((0, true)));
        assert_eq!(date("253402300799"), Some((MAX_UNIX_TIME.as_secs(), false)));
        for bad in [
            "1e400",
            "18446744073709551616",
            "-9223372036854775809",
            "-1",
            "1311281970000",
            "253402300800",
            "1e9999999",
        ] {
            assert_eq!(date(bad), None, "{bad}");
        }
        // A 10 000-digit number is refused without arithmetic overflow (1 000 under Miri,
        // which interprets every digit).
        let digits = if cfg!(miri) { 1_000 } else { 10_000 };
        let long = "9".repeat(digits);
        assert_eq!(date(&long), None);
        let tiny = std::format!("0.{}1", "0".repeat(digits));
        assert_eq!(date(&tiny), Some((0, true)));
    }
}

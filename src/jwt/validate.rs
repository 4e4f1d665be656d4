//! ID token validation (OIDC Core §3.1.3.7 and §3.2.2.11) as a pure function of the token,
//! the caller's expectations, a verifier and the current time.

use core::fmt;
use core::time::Duration;

use crate::algorithm::Algorithm;
use crate::codec::base64url::{self, Base64Error};
use crate::ct::ct_eq;
use crate::error::{ClaimsError, ConfigError, Error, JwtError};
use crate::jwt::at_hash::at_hash;
use crate::jwt::claims::Claim;
use crate::jwt::claims::{IdTokenClaims, Json};
use crate::jwt::compact::Compact;
use crate::jwt::verifier::{SignatureVerified, SignatureVerifier};
use crate::jwt::{decode_json, header_of, required_scratch};
use crate::limits::{DEFAULT_LEEWAY, MAX_AT_HASH_LEN, MAX_LEEWAY, MAX_SIGNATURE_LEN};
use crate::oauth::param::Param;
use crate::secret::{Redacted, redacted};
use crate::time::UnixTime;

/// What the ID token must match (OIDC Core §3.1.3.7, §3.2.2.11).
///
/// Required data goes to [`Expectations::new`]; the setters take the value and return it
/// changed, so expectations are one expression.
///
/// # Security
/// `nonce` is the secret sent in the request; `access_token`, when set, must be the one
/// that came with the ID token (its `at_hash` is then required: OIDC Core §3.2.2.10). Both
/// are secrets: `Debug` prints `[redacted]` for them.
///
/// # Examples
/// ```
/// use core::time::Duration;
/// use implicit_grant::{Algorithm, Expectations, UnixTime};
/// let now = UnixTime::from_secs(1311281000);
/// let e = Expectations::new("https://server.example.com", "s6BhdRkqt3", "n-0S6_WzA2Mj", now)
///     .leeway(Duration::from_secs(30))
///     .max_age(Duration::from_secs(300))
///     .access_token(Some("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"))
///     .algorithms(&[Algorithm::RS256, Algorithm::ES256])
///     .trusted_audiences(&["https://api.example.com"]);
/// let debug = format!("{e:?}");
/// assert!(debug.contains("leeway: 30s") && !debug.contains("n-0S6_WzA2Mj"));
/// ```
#[derive(Clone, Copy)]
#[must_use = "expectations do nothing until passed to verify_id_token"]
pub struct Expectations<'a> {
    issuer: &'a str,
    client_id: &'a str,
    nonce: &'a str,
    now: UnixTime,
    leeway: Duration,
    max_age: Option<Duration>,
    access_token: Option<&'a str>,
    /// The access token came from the token endpoint: `at_hash` is checked when present,
    /// not required (OIDC Core §3.1.3.8).
    at_hash_optional: bool,
    /// A refreshed ID token: `nonce` SHOULD be absent, and equal the original one when
    /// present (OIDC Core §12.2).
    nonce_optional: bool,
    algorithms: &'a [Algorithm],
    trusted_audiences: &'a [&'a str],
}

impl fmt::Debug for Expectations<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Expectations")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("nonce", &Redacted)
            .field("now", &self.now)
            .field("leeway", &self.leeway)
            .field("max_age", &self.max_age)
            .field("access_token", &redacted(self.access_token))
            .field("algorithms", &self.algorithms)
            .field("trusted_audiences", &self.trusted_audiences)
            .finish()
    }
}

impl<'a> Expectations<'a> {
    /// Expectations for a token from `issuer` (compared exactly, OIDC Core §3.1.3.7 step 2)
    /// to `client_id` (which `aud` must contain and `azp` must equal, steps 3–4), carrying
    /// the `nonce` sent in the request (step 11), checked at `now`. Defaults: a leeway of
    /// [`DEFAULT_LEEWAY`], `RS256` only, no `max_age`, no access token and no extra trusted
    /// audience.
    ///
    /// None of the three strings may be empty: [`verify_id_token`] refuses that.
    ///
    /// ```
    /// use implicit_grant::{Expectations, UnixTime};
    /// let now = UnixTime::from_secs(1311281000);
    /// let e = Expectations::new("https://server.example.com", "s6BhdRkqt3", "n-0S6_WzA2Mj", now);
    /// assert!(format!("{e:?}").contains("leeway: 60s"));
    /// ```
    pub const fn new(issuer: &'a str, client_id: &'a str, nonce: &'a str, now: UnixTime) -> Self {
        Self {
            issuer,
            client_id,
            nonce,
            now,
            leeway: DEFAULT_LEEWAY,
            max_age: None,
            access_token: None,
            at_hash_optional: false,
            nonce_optional: false,
            algorithms: &[Algorithm::RS256],
            trusted_audiences: &[],
        }
    }

    /// Sets the clock leeway for `exp`, `nbf`, `iat` and `auth_time` (whole seconds count);
    /// at most [`MAX_LEEWAY`] ([`verify_id_token`] refuses more).
    ///
    /// ```
    /// # use implicit_grant::{Expectations, UnixTime};
    /// use core::time::Duration;
    /// let e = Expectations::new("https://op.example", "c", "n", UnixTime::from_secs(0))
    ///     .leeway(Duration::ZERO);
    /// assert!(format!("{e:?}").contains("leeway: 0ns"));
    /// ```
    pub const fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// Sets the `max_age` sent in the request (OIDC Core §3.1.2.1): `auth_time` is then
    /// required and must be recent enough. Unset (the default), the check is skipped.
    ///
    /// ```
    /// # use implicit_grant::{Expectations, UnixTime};
    /// use core::time::Duration;
    /// let e = Expectations::new("https://op.example", "c", "n", UnixTime::from_secs(0))
    ///     .max_age(Duration::from_secs(300));
    /// assert!(format!("{e:?}").contains("max_age: Some(300s)"));
    /// ```
    pub const fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = Some(max_age);
        self
    }

    /// Sets the access token of an `id_token token` response: `at_hash` is then required
    /// and must match it (OIDC Core §3.2.2.9, §3.2.2.10).
    ///
    /// # Security
    /// The token is a secret: `Debug` prints `[redacted]` for it.
    ///
    /// ```
    /// # use implicit_grant::Expectations;
    /// let e = Expectations::new("https://op.example", "c", "n", implicit_grant::UnixTime::from_secs(0)).access_token(Some("SlAV32hkKG"));
    /// assert!(!format!("{e:?}").contains("SlAV32hkKG"));
    /// ```
    pub const fn access_token(mut self, access_token: Option<&'a str>) -> Self {
        self.access_token = access_token;
        self.at_hash_optional = false;
        self
    }

    /// Sets the access token the token endpoint returned with the ID token (code flow):
    /// `at_hash` is then checked when the ID token has one, and not required (OIDC Core
    /// §3.1.3.8).
    ///
    /// # Security
    /// The token is a secret: `Debug` prints `[redacted]` for it.
    ///
    /// ```
    /// # use implicit_grant::Expectations;
    /// let e = Expectations::new("https://op.example", "c", "n", implicit_grant::UnixTime::from_secs(0))
    ///     .token_endpoint_access_token("SlAV32hkKG");
    /// assert!(!format!("{e:?}").contains("SlAV32hkKG"));
    /// ```
    #[cfg(feature = "code")]
    #[cfg_attr(docsrs, doc(cfg(feature = "code")))]
    pub const fn token_endpoint_access_token(mut self, access_token: &'a str) -> Self {
        self.access_token = Some(access_token);
        self.at_hash_optional = true;
        self
    }

    /// Expectations of a refreshed ID token (OIDC Core §12.2): `nonce`, the original
    /// one, may be absent.
    #[cfg(feature = "code")]
    pub(crate) const fn refreshed(mut self) -> Self {
        self.nonce_optional = true;
        self
    }

    /// Sets the algorithms accepted (RFC 8725 §3.1); the default is `RS256` only.
    ///
    /// ```
    /// # use implicit_grant::{Algorithm, Expectations};
    /// let e = Expectations::new("https://op.example", "c", "n", implicit_grant::UnixTime::from_secs(0)).algorithms(&[Algorithm::ES256]);
    /// assert!(format!("{e:?}").contains("[ES256]"));
    /// ```
    pub const fn algorithms(mut self, algorithms: &'a [Algorithm]) -> Self {
        self.algorithms = algorithms;
        self
    }

    /// Sets the audiences besides the client id that may appear in `aud` (OIDC Core
    /// §3.1.3.7 step 3: a token with an audience not trusted is refused).
    ///
    /// ```
    /// # use implicit_grant::Expectations;
    /// let e = Expectations::new("https://op.example", "c", "n", implicit_grant::UnixTime::from_secs(0))
    ///     .trusted_audiences(&["https://api.example"]);
    /// assert!(format!("{e:?}").contains("https://api.example"));
    /// ```
    pub const fn trusted_audiences(mut self, audiences: &'a [&'a str]) -> Self {
        self.trusted_audiences = audiences;
        self
    }

    /// Refuses expectations that would let a token through unchecked: an empty issuer,
    /// client id or nonce (an empty nonce would match a token's `"nonce":""`), or a leeway
    /// above [`MAX_LEEWAY`].
    const fn check(&self) -> Result<(), ConfigError> {
        if self.issuer.is_empty() {
            return Err(ConfigError::Missing(Param::Issuer));
        }
        if self.client_id.is_empty() {
            return Err(ConfigError::Missing(Param::ClientId));
        }
        if self.nonce.is_empty() {
            return Err(ConfigError::Missing(Param::Nonce));
        }
        if self.leeway.as_secs() > MAX_LEEWAY.as_secs() {
            return Err(ConfigError::LeewayTooLarge);
        }
        Ok(())
    }
}

/// Verifies an ID token: structure, `alg` allow-list, signature through `verifier`, then
/// claims (OIDC Core §3.1.3.7 steps 2–13, §3.2.2.11; RFC 8725).
///
/// Claims (and the signature) are decoded into `scratch`, which needs [`crate::jwt::scratch_len`] bytes.
///
/// # Errors
/// [`JwtError`]s for the token's shape, `alg` and signature; [`ClaimsError`]s for the
/// claims; [`ConfigError::Missing`] for an empty expected issuer
/// ([`Param::Issuer`]), client id or nonce, before the token is even read;
/// [`ConfigError::LeewayTooLarge`]; [`Error::BufferTooSmall`] for a short `scratch`.
/// The order is structure (segments, base64url, JSON of header and payload), `alg` policy,
/// signature, claims: no claim error speaks for a forged token.
///
/// # Security
/// `scratch` holds the decoded claims afterwards (personal data, the nonce): wipe it when done.
///
/// # Examples
/// ```
/// # #[cfg(feature = "hmac")] {
/// use implicit_grant::{Algorithm, Expectations, UnixTime, verify_id_token};
/// use implicit_grant::verify::HmacKey;
/// // {"alg":"HS256"} . {"iss":"https://server.example.com","sub":"248289761001","aud":"s6BhdRkqt3",
/// //                    "nonce":"n-0S6_WzA2Mj","exp":1311281970,"iat":1311280970}
/// let token = "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJodHRwczovL3NlcnZlci5leGFtcGxlLmNvbSIsInN1YiI6IjI0ODI4OTc2MTAwMSIsImF1ZCI6InM2QmhkUmtxdDMiLCJub25jZSI6Im4tMFM2X1d6QTJNaiIsImV4cCI6MTMxMTI4MTk3MCwiaWF0IjoxMzExMjgwOTcwfQ.Vp5eIbjTwSjt9r5_vhYddI1zvxPqwU3Ke8SQNrsl5yY";
/// let key = HmacKey::hs256(b"a shared secret of 32 bytes or more!")?;
/// let e = Expectations::new("https://server.example.com", "s6BhdRkqt3", "n-0S6_WzA2Mj",
///     UnixTime::from_secs(1311281000)).algorithms(&[Algorithm::HS256]);
/// let mut scratch = [0u8; 512];
/// let claims = verify_id_token(token, &e, &key, &mut scratch)?;
/// assert_eq!(claims.sub(), "248289761001");
/// # }
/// # Ok::<(), implicit_grant::Error>(())
/// ```
pub fn verify_id_token<'p>(
    id_token: &str,
    expectations: &Expectations<'_>,
    verifier: &impl SignatureVerifier,
    scratch: &'p mut [u8],
) -> Result<IdTokenClaims<'p>, Error> {
    expectations.check()?;
    let compact = Compact::split(id_token)?;
    let required = required_scratch(&compact)?;
    if scratch.len() < required {
        return Err(Error::BufferTooSmall { required });
    }
    let (header, rest) = header_of(&compact, scratch)?;
    if !expectations.algorithms.contains(&header.alg) {
        return Err(JwtError::AlgNotAllowed.into());
    }
    // Structure first (the payload's base64url and JSON), then the signature, then claims.
    let (payload, rest) = decode_json(compact.payload(), rest)?;
    // The signature goes into scratch too, not onto the stack: a microcontroller verifying
    // ES256 is short of stack, not of the buffer it lends.
    let room = rest.len().min(MAX_SIGNATURE_LEN);
    let signature = base64url::decode_into(
        compact.signature(),
        rest.get_mut(..room).unwrap_or_default(),
    )
    .map_err(|e| match e {
        Base64Error::BufferTooSmall { .. } => Error::Jwt(JwtError::BadSignature),
        Base64Error::Invalid => Error::from(e),
    })?;
    let signing_input = compact.signing_input().as_bytes();
    let proof = verifier.verify(&header, signing_input, signature)?;
    if !proof.is_for(signing_input) {
        return Err(JwtError::BadSignature.into());
    }
    let claims = IdTokenClaims::from_json(Json::new(payload), header.alg)?;
    validate_claims(&claims, expectations, header.alg, proof)?;
    Ok(claims)
}

/// Checks claims whose signature verified against `expectations` (OIDC Core §3.1.3.7
/// steps 2–13). Crate-private: only [`verify_id_token`] holds a proof for the very token
/// the claims came from.
///
/// The first [`ClaimsError`] found is returned, checking in this order: `iss`, `aud`,
/// `azp`, `exp`, `iat`, `nbf`, `nonce`, `auth_time`, `at_hash`. Empty expectations fail
/// closed: an empty issuer, client id or nonce never matches.
pub(crate) fn validate_claims(
    claims: &IdTokenClaims<'_>,
    expectations: &Expectations<'_>,
    alg: Algorithm,
    _proof: SignatureVerified<'_>,
) -> Result<(), ClaimsError> {
    let e = expectations;
    let (now, leeway) = (e.now.as_secs(), e.leeway.as_secs());
    let late_bound = now.saturating_add(leeway);
    if e.issuer.is_empty() || claims.iss != e.issuer {
        return Err(ClaimsError::IssuerMismatch);
    }
    if e.client_id.is_empty() || !claims.aud.iter().any(|a| a == e.client_id) {
        return Err(ClaimsError::AudienceMismatch);
    }
    if claims
        .aud
        .iter()
        .any(|a| a != e.client_id && !e.trusted_audiences.contains(&a))
    {
        return Err(ClaimsError::UntrustedAudience);
    }
    if claims.azp.is_some_and(|azp| azp != e.client_id) {
        return Err(ClaimsError::AzpMismatch);
    }
    // now < exp + leeway; for whole `now`, that is now < ceil(exp) + leeway.
    if claims.exp.ceil().saturating_add(leeway) <= now {
        return Err(ClaimsError::Expired);
    }
    if claims.iat.ceil() > late_bound {
        return Err(ClaimsError::IssuedInFuture);
    }
    if claims.nbf.is_some_and(|nbf| nbf.ceil() > late_bound) {
        return Err(ClaimsError::NotYetValid);
    }
    match claims.nonce {
        Some(nonce) if e.nonce.is_empty() || !ct_eq(nonce.as_bytes(), e.nonce.as_bytes()) => {
            return Err(ClaimsError::NonceMismatch);
        }
        None if !e.nonce_optional => return Err(ClaimsError::MissingClaim(Claim::Nonce)),
        _ => {}
    }
    if let Some(max_age) = e.max_age {
        let auth_time = claims
            .auth_time
            .ok_or(ClaimsError::MissingClaim(Claim::AuthTime))?;
        if auth_time.ceil() > late_bound {
            return Err(ClaimsError::AuthTimeInFuture);
        }
        let deadline = auth_time
            .as_secs()
            .saturating_add(max_age.as_secs())
            .saturating_add(leeway);
        if deadline < now {
            return Err(ClaimsError::AuthTooOld);
        }
    }
    match (e.access_token, claims.at_hash) {
        (Some(access_token), Some(claimed)) => {
            let mut buf = [0u8; MAX_AT_HASH_LEN];
            let expected =
                at_hash(alg, access_token, &mut buf).map_err(|_| ClaimsError::AtHashMismatch)?;
            if !ct_eq(claimed.as_bytes(), expected.as_bytes()) {
                return Err(ClaimsError::AtHashMismatch);
            }
        }
        (Some(_), None) if !e.at_hash_optional => {
            return Err(ClaimsError::MissingClaim(Claim::AtHash));
        }
        _ => {}
    }
    Ok(())
}

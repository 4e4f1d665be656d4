//! Refreshing a session (feature `code`; RFC 6749 §6, OIDC Core §12): the token request,
//! and its answer, whose ID token must be the same user's login at the same client as the
//! session's (OIDC Core §12.2).

use core::fmt;

use crate::error::{ClaimsError, Error, ResponseError};
use crate::flow::Config;
use crate::flow::callback::{
    Redeemed, claims_room, expectations, scope_room, session, session_scope,
};
use crate::jwt::claims::{Claim, IdTokenClaims};
use crate::jwt::{SignatureVerifier, unverified_id_token_claims, verify_id_token};
use crate::oauth::param::Param;
use crate::oauth::token::{
    TokenEndpointResponse, TokenRequest, parse_token_response_with_room, raw_id_token,
};
use crate::secret::{IdToken, RefreshToken};
use crate::time::UnixTime;

/// A refresh of a session (RFC 6749 §6): its refresh token and, for OpenID Connect, the
/// session's ID token, which a refreshed ID token must match (OIDC Core §12.2).
///
/// # Security
/// It holds the refresh token: `Debug` redacts it.
///
/// # Examples
/// ```
/// use implicit_grant::*;
/// let config = Config::builder(
///     Issuer::new("https://server.example.com"),
///     AuthorizationEndpoint::new("https://server.example.com/authorize"),
///     ClientId::new("s6BhdRkqt3"),
///     RedirectUri::new("https://client.example.com/cb"),
/// )
/// .response_type(ResponseType::Code)
/// .build()?;
/// let refresh = Refresh::new(RefreshToken::new("tGzv3JOkF0XG5Qx2TlKWIA"), None);
/// let mut body = [0u8; 256];
/// let body = refresh.token_request(&config)?.body(&mut body)?;
/// assert_eq!(body, "grant_type=refresh_token&refresh_token=tGzv3JOkF0XG5Qx2TlKWIA&client_id=s6BhdRkqt3");
/// // RFC 6749 §5.1: the answer (an ID token would be checked against the session's).
/// let answer = r#"{"access_token":"2YotnFZFEjr1zCsicMWpAA","token_type":"Bearer","expires_in":3600}"#;
/// # let keys = verify::HmacKey::hs256(b"a shared secret of 32 bytes or more!")?;
/// let now = UnixTime::from_secs(1311280970);
/// let mut scratch = [0u8; 1024];
/// let Redeemed::Authorized(session) = refresh.redeem(&config, 200, answer, &keys, now, &mut scratch)? else {
///     return Err("expected tokens".into());
/// };
/// assert_eq!(session.expires_at, Some(UnixTime::from_secs(1311284570)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy)]
pub struct Refresh<'a> {
    refresh_token: RefreshToken<'a>,
    id_token: Option<IdToken<'a>>,
    scope: &'a [&'a str],
}

impl fmt::Debug for Refresh<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Refresh")
            .field("refresh_token", &self.refresh_token)
            .field("id_token", &self.id_token)
            .field("scope", &self.scope)
            .finish()
    }
}

impl<'a> Refresh<'a> {
    /// A refresh with `refresh_token`, of the session whose ID token was `id_token`
    /// ([`Session::id_token`](crate::Session::id_token), kept by the app; `None` for an OAuth session without one).
    ///
    /// ```
    /// let r = implicit_grant::Refresh::new(implicit_grant::RefreshToken::new("8xLOxBtZp8"), None);
    /// assert!(!format!("{r:?}").contains("8xLOxBtZp8"));
    /// ```
    #[must_use]
    pub const fn new(refresh_token: RefreshToken<'a>, id_token: Option<IdToken<'a>>) -> Self {
        Self {
            refresh_token,
            id_token,
            scope: &[],
        }
    }

    /// Asks for less than the original grant ([`TokenRequest::scope`]).
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://op.example"),
    /// #     AuthorizationEndpoint::new("https://op.example/authorize"), ClientId::new("c"),
    /// #     RedirectUri::new("https://rp.example/cb")).build()?;
    /// let r = Refresh::new(RefreshToken::new("r"), None).scope(&["read"]);
    /// let mut body = [0u8; 128];
    /// assert!(r.token_request(&config)?.body(&mut body)?.contains("&scope=read&"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn scope(mut self, scope: &'a [&'a str]) -> Self {
        self.scope = scope;
        self
    }

    /// The token request (RFC 6749 §6) for `config`'s client; add
    /// [`TokenRequest::client_secret`] for a confidential client.
    ///
    /// # Errors
    /// The errors of [`TokenRequest::refresh`] and [`TokenRequest::scope`].
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://op.example"),
    /// #     AuthorizationEndpoint::new("https://op.example/authorize"), ClientId::new("c"),
    /// #     RedirectUri::new("https://rp.example/cb")).build()?;
    /// let refused = Refresh::new(RefreshToken::new(""), None).token_request(&config);
    /// assert_eq!(refused.err(), Some(Error::Config(ConfigError::Missing(Param::RefreshToken))));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn token_request(&self, config: &Config<'a>) -> Result<TokenRequest<'a>, Error> {
        let request = TokenRequest::refresh(config, self.refresh_token)?;
        Ok(if self.scope.is_empty() {
            request
        } else {
            request.scope(self.scope)?
        })
    }

    /// Reads the token endpoint's answer to [`Self::token_request`] (its HTTP `status` and
    /// JSON `body`) and verifies any ID token in it as OIDC Core §12.2 asks: signature,
    /// `iss`, `aud`, `azp`, times, `at_hash` when present, and, against the session's ID
    /// token, the same `iss`, `sub`, `aud`, `azp` and `auth_time`, and no `nonce` or the
    /// same. A new refresh token (rotation) is in [`Session::refresh_token`](crate::Session::refresh_token); keep it, the
    /// old one may no longer work.
    ///
    /// `scratch` holds the canonical body, the new ID token's claims and the session's: the
    /// body's length plus [`crate::jwt::scratch_len`] of each ID token's length suffice; a
    /// shorter one is [`Error::BufferTooSmall`] with the exact size.
    ///
    /// # Errors
    /// The errors of [`parse_token_response`](crate::parse_token_response) and
    /// [`verify_id_token`]; [`ClaimsError::ChangedOnRefresh`] naming the claim that
    /// changed; [`ResponseError::UnexpectedParameter`]`(`[`Param::IdToken`]`)` for an ID
    /// token when the refresh has none of the session's to compare it with; the errors of
    /// reading the session's ID token ([`JwtError`](crate::JwtError), [`ClaimsError`]).
    ///
    /// # Security
    /// Only hand it a body that came from the token endpoint over TLS, in answer to this
    /// refresh's request. `scratch` holds the tokens afterwards: wipe it when done.
    ///
    /// # Examples
    /// A refresh token revoked, or used after the provider rotated it (RFC 6749 §5.2):
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://op.example"),
    /// #     AuthorizationEndpoint::new("https://op.example/authorize"), ClientId::new("c"),
    /// #     RedirectUri::new("https://rp.example/cb")).response_type(ResponseType::Code).build()?;
    /// # let keys = verify::HmacKey::hs256(b"a shared secret of 32 bytes or more!")?;
    /// let refresh = Refresh::new(RefreshToken::new("tGzv3JOkF0XG5Qx2TlKWIA"), None);
    /// let now = UnixTime::from_secs(1311280970);
    /// let mut scratch = [0u8; 128];
    /// let answer = refresh.redeem(&config, 400, r#"{"error":"invalid_grant"}"#, &keys, now, &mut scratch)?;
    /// let Redeemed::Denied(denial) = answer else { return Err("expected a denial".into()) };
    /// assert_eq!(denial.error, TokenErrorCode::InvalidGrant); // log in again
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn redeem<'s>(
        &self,
        config: &Config<'_>,
        status: u16,
        body: &str,
        verifier: &impl SignatureVerifier,
        now: UnixTime,
        scratch: &'s mut [u8],
    ) -> Result<Redeemed<'s>, Error> {
        let original = self.id_token.map(|t| t.expose_secret());
        let room = |body: &str| {
            // The session's claims are decoded only for a new ID token to compare.
            let claims = raw_id_token(body).map_or(0, |new| {
                claims_room(new).saturating_add(original.map_or(0, claims_room))
            });
            claims.saturating_add(scope_room(body))
        };
        let (response, rest) = parse_token_response_with_room(status, body, scratch, room)?;
        let tokens = match response {
            TokenEndpointResponse::Denied(denial) => return Ok(Redeemed::Denied(denial)),
            TokenEndpointResponse::Issued(tokens) => tokens,
        };
        let mut rest = rest;
        let scope = session_scope(tokens.scope, &mut rest)?;
        let claims = match (tokens.id_token, original) {
            (Some(new), Some(original)) => {
                let (new_area, original_area) =
                    rest.split_at_mut(claims_room(new.expose_secret()).min(rest.len()));
                // Not verified again (it was when the session began), and never returned.
                let before = unverified_id_token_claims(original, original_area)?;
                let nonce = before.nonce.unwrap_or_default();
                let access_token = tokens.access_token.expose_secret();
                let e = expectations(config, nonce, access_token, now).refreshed();
                let after = verify_id_token(new.expose_secret(), &e, verifier, new_area)?;
                unchanged(&before, &after)?;
                Some(after)
            }
            (Some(_), None) => {
                return Err(ResponseError::UnexpectedParameter(Param::IdToken).into());
            }
            (None, _) => None,
        };
        Ok(Redeemed::Authorized(session(tokens, scope, claims, now)))
    }
}

/// OIDC Core §12.2: the refreshed ID token names the same issuer, user, audiences,
/// authorized party and authentication time as the session's.
fn unchanged(before: &IdTokenClaims<'_>, after: &IdTokenClaims<'_>) -> Result<(), ClaimsError> {
    let changed = ClaimsError::ChangedOnRefresh;
    if after.iss != before.iss {
        return Err(changed(Claim::Iss));
    }
    if after.sub != before.sub {
        return Err(changed(Claim::Sub));
    }
    let same_audiences = after.aud.iter().count() == before.aud.iter().count()
        && after.aud.iter().all(|a| before.aud.iter().any(|b| a == b));
    if !same_audiences {
        return Err(changed(Claim::Aud));
    }
    if after.azp != before.azp {
        return Err(changed(Claim::Azp));
    }
    if after.auth_time.is_some()
        && before.auth_time.is_some()
        && after.auth_time != before.auth_time
    {
        return Err(changed(Claim::AuthTime));
    }
    Ok(())
}

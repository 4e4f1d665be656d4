//! The code flow after the redirect (feature `code`): [`callback`] checks the response and
//! takes its transaction; the [`CodeGrant`] it yields writes the token request and checks
//! the token endpoint's answer.

use core::fmt;

use crate::codec::digest::sha256_parts;
use crate::ct::ct_eq;
use crate::error::{ConfigError, Error, ErrorKind, FlowError, ResponseError, SelectionError};
use crate::flow::Config;
use crate::flow::complete::{Session, check_iss, claim};
use crate::flow::transaction::Transaction;
use crate::host::TransactionStore;
use crate::jwt::{Compact, Expectations, IdTokenClaims, SignatureVerifier, verify_id_token};
use crate::oauth::authorize::{ResponseMode, ResponseType};
use crate::oauth::param::Param;
use crate::oauth::pkce::CodeVerifier;
use crate::oauth::response::{
    CodeResponse, ErrorResponse, parse_code_params, split_callback, split_query_callback,
};
use crate::oauth::scope::Scope;
use crate::oauth::token::{
    IssuedTokens, TokenEndpointResponse, TokenErrorResponse, TokenRequest,
    parse_token_response_with_room, raw_id_token, raw_scope_counts,
};
use crate::oauth::value::{Decoding, RawValue};
use crate::secret::Redacted;
use crate::time::UnixTime;

/// What the redirect of a `code` request brought.
#[derive(Debug)]
#[must_use = "a code does nothing until it is redeemed at the token endpoint"]
// No allocator to box the grant with; a callback is made once and matched at once.
#[allow(clippy::large_enum_variant)]
pub enum Callback<'a> {
    /// A code, its transaction taken: redeem it ([`CodeGrant::token_request`], then
    /// [`CodeGrant::redeem`]).
    Code(CodeGrant<'a>),
    /// The provider refused (`access_denied`, `login_required`…). Reported only after the
    /// response's `state` matched, so the denial is authentic (RFC 9207 §2.4).
    Denied(ErrorResponse<'a>),
}

/// An authorization code and the transaction it answers: what the token request needs
/// (the PKCE verifier) and what the ID token must match (the `nonce`, `max_age`, the user
/// of a renewal).
///
/// # Security
/// It holds the code and the verifier: `Debug` redacts them, and the transaction is wiped
/// on drop. Keep it in memory only, for the one exchange: a code is single-use (RFC 6749
/// §4.1.2).
pub struct CodeGrant<'a> {
    code: &'a str,
    transaction: Transaction,
    redemption: Redemption,
}

/// Where a grant stands with [`CodeGrant::redeem`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Redemption {
    /// Not redeemed yet.
    Unused,
    /// The ID token of the token response with this SHA-256 (of its status and body) named
    /// a key the verifier lacked: the one retry is for that response.
    AwaitingKey([u8; 32]),
    /// Redeemed, whatever the outcome.
    Spent,
}

impl fmt::Debug for CodeGrant<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CodeGrant")
            .field("code", &Redacted)
            .field("transaction", &self.transaction)
            .field("redeemed", &(self.redemption != Redemption::Unused))
            .finish()
    }
}

/// What the token endpoint answered to a [`CodeGrant`].
#[derive(Clone, Copy, Debug)]
#[must_use = "an unchecked outcome means the user was never authenticated"]
// No allocator to box the session with; an outcome is made once and matched at once.
#[allow(clippy::large_enum_variant)]
pub enum Redeemed<'s> {
    /// The tokens, and the ID token verified.
    Authorized(Session<'s>),
    /// The token endpoint refused (RFC 6749 §5.2): `invalid_grant` for a code already
    /// used, expired, or redeemed with another verifier.
    Denied(TokenErrorResponse<'s>),
}

/// Reads the redirect of a `code` request (RFC 6749 §4.1.2, OIDC Core §3.1.2.5): the query
/// (the whole callback URL, `?…`, or the query alone; the default for `code`), the fragment,
/// or a `form_post` body, as the configuration's response mode says; `scratch` receives the
/// decoded code when it has escapes.
///
/// In order, as [`complete`](crate::complete) does: without touching the store, parse the
/// response strictly (an access or ID token in it is refused: RFC 9700 §2.1.2), check the
/// callback URL and the RFC 9207 `iss` parameter, decode the code; then take the
/// transaction of the returned `state`, compare `state` in constant time and check the
/// transaction's configuration and age; only then report an `error=`.
///
/// # Errors
/// [`ConfigError::Forbidden`]`(`[`Param::ResponseType`]`)` for a configuration whose
/// response type is not `code` (use [`complete`](crate::complete)); before the store is
/// touched: [`ResponseError`]s (`UnexpectedParameter(AccessToken | IdToken)`,
/// `MissingParameter(Code)`, …), [`FlowError::RedirectUriMismatch`],
/// [`FlowError::IssParameterMismatch`], [`FlowError::StateMissing`],
/// [`Error::BufferTooSmall`]; then [`FlowError::Storage`],
/// [`FlowError::NoPendingTransaction`], [`FlowError::CorruptTransaction`],
/// [`FlowError::StateMismatch`], [`FlowError::TransactionMismatch`],
/// [`FlowError::TransactionExpired`].
///
/// # Examples
/// ```
/// use implicit_grant::*;
/// # struct Rng(u8);
/// # impl Random for Rng {
/// #     fn fill_bytes(&mut self, d: &mut [u8]) -> Result<(), RandomError> {
/// #         d.iter_mut().for_each(|b| { self.0 = self.0.wrapping_mul(31).wrapping_add(7); *b = self.0 });
/// #         Ok(())
/// #     }
/// # }
/// let config = Config::builder(
///     Issuer::new("https://server.example.com"),
///     AuthorizationEndpoint::new("https://server.example.com/authorize"),
///     ClientId::new("s6BhdRkqt3"),
///     RedirectUri::new("https://client.example.com/cb"),
/// )
/// .response_type(ResponseType::Code)
/// .scope(&["openid"])
/// .build()?;
/// let mut store = MemoryStore::<4>::new();
/// let now = UnixTime::from_secs(1311280970);
/// let mut url = [0u8; 512];
/// let url = begin(&config, &mut Rng(1), &mut store, now, &mut url)?;
/// assert!(url.contains("&code_challenge_method=S256"));
/// let state = url.split("state=").nth(1).and_then(|s| s.split('&').next()).ok_or("no state")?;
/// // RFC 6749 §4.1.2: the provider redirects back with a code and the state.
/// let back = format!("https://client.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA&state={state}");
/// let Callback::Code(grant) = callback(&config, &back, &mut store, now, &mut [])? else {
///     return Err("expected a code".into());
/// };
/// let mut body = [0u8; 512];
/// let body = grant.token_request(&config)?.body(&mut body)?;
/// assert!(body.starts_with("grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&"));
/// // The transaction is consumed: the same redirect again finds none.
/// let again = callback(&config, &back, &mut store, now, &mut []);
/// assert_eq!(again.err(), Some(FlowError::NoPendingTransaction.into()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn callback<'a>(
    config: &Config<'_>,
    input: &'a str,
    store: &mut impl TransactionStore,
    now: UnixTime,
    scratch: &'a mut [u8],
) -> Result<Callback<'a>, Error> {
    if !matches!(config.response_type(), ResponseType::Code) {
        return Err(ConfigError::Forbidden(Param::ResponseType).into());
    }
    // 1. Everything that needs no transaction.
    let response = parse(config, input)?;
    check_iss(config, response.iss(), false)?;
    let state = response.state().ok_or(FlowError::StateMissing)?;
    let pending = match response {
        CodeResponse::Code { code, .. } => {
            let code = Decoding::new(code);
            let required = code.scratch_len();
            if scratch.len() < required {
                return Err(Error::BufferTooSmall { required });
            }
            let mut scratch = scratch;
            Ok(code.write_front(&mut scratch)?)
        }
        CodeResponse::Error(denial) => Err(denial),
    };

    // 2 and 3. The transaction this `state` was sent with, and its own checks.
    let (_, transaction) = claim(config, store, state, now)?;

    // 4. Only now is a denial authentic.
    Ok(match pending {
        Ok(code) => Callback::Code(CodeGrant {
            code,
            transaction,
            redemption: Redemption::Unused,
        }),
        Err(denial) => Callback::Denied(denial),
    })
}

/// The response, read as the configured response mode says.
fn parse<'a>(config: &Config<'_>, input: &'a str) -> Result<CodeResponse<'a>, Error> {
    match config.response_mode() {
        ResponseMode::FormPost => parse_code_params(input),
        ResponseMode::Fragment => {
            let (url, fragment) = split_callback(input)?;
            if url.is_some_and(|url| url != config.redirect_uri().as_str()) {
                return Err(FlowError::RedirectUriMismatch.into());
            }
            parse_code_params(fragment)
        }
        ResponseMode::Query => {
            let (path, query) = split_query_callback(input)?;
            let registered = config.redirect_uri().as_str();
            let registered = registered
                .split_once('?')
                .map_or(registered, |(path, _)| path);
            if path.is_some_and(|path| path != registered) {
                return Err(FlowError::RedirectUriMismatch.into());
            }
            parse_code_params(query)
        }
    }
}

impl CodeGrant<'_> {
    /// The token request that redeems this code (RFC 6749 §4.1.3) with the PKCE verifier
    /// its authorization request was made with (RFC 7636 §4.5), for `config`'s client; add
    /// [`TokenRequest::client_secret`] for a confidential client.
    ///
    /// # Errors
    /// [`FlowError::TransactionMismatch`] for another configuration than the one the
    /// transaction was begun under; [`FlowError::CorruptTransaction`] when it holds no
    /// verifier (never written so by `begin`).
    ///
    /// ```no_run
    /// # use implicit_grant::*;
    /// # fn f(config: &Config<'_>, grant: &CodeGrant<'_>) -> Result<(), Error> {
    /// let request = grant.token_request(config)?;
    /// let mut body = [0u8; 1024];
    /// let body = request.body(&mut body)?; // POST it to the token endpoint
    /// # let _ = body; Ok(()) }
    /// ```
    pub fn token_request<'g>(&'g self, config: &Config<'g>) -> Result<TokenRequest<'g>, Error> {
        if !self.transaction.was_begun_under(config) {
            return Err(FlowError::TransactionMismatch.into());
        }
        let verifier = self
            .transaction
            .expose_verifier()
            .and_then(|v| CodeVerifier::new(v).ok())
            .ok_or(FlowError::CorruptTransaction)?;
        Ok(TokenRequest::authorization_code(
            config, self.code, verifier,
        )?)
    }

    /// Reads the token endpoint's answer to [`Self::token_request`] (its HTTP `status` and
    /// JSON `body`: [`parse_token_response`](crate::parse_token_response)) and, with
    /// `openid` in the scope, verifies its ID token (OIDC Core §3.1.3.5–§3.1.3.8: required;
    /// signature, `iss`, `aud`, `azp`, times, the `nonce` sent, `auth_time` against
    /// `max_age`, the user of a renewal; `at_hash` checked when present).
    ///
    /// A grant is redeemed once: any outcome spends it, and a later call is
    /// [`FlowError::NoPendingTransaction`], but for the caller's own mistakes
    /// ([`ErrorKind::Misuse`](crate::ErrorKind::Misuse): a `scratch` too small). The other exception is an ID token signed with a
    /// key the verifier lacks ([`SelectionError::UnknownKey`](crate::SelectionError::UnknownKey),
    /// [`ErrorKind::KeysOutdated`](crate::ErrorKind::KeysOutdated)): fetch the keys anew and
    /// call it once more with the same status and body (another one is
    /// [`FlowError::TransactionMismatch`]); the provider will not redeem the code twice.
    ///
    /// `scratch` holds the canonical body, then the ID token's claims: the body's length
    /// plus [`crate::jwt::scratch_len`] of the ID token's length always suffice (and, for a
    /// granted `scope` holding `%` or `+`, its length and twice their count); a shorter one
    /// is [`Error::BufferTooSmall`] with the exact size.
    ///
    /// # Errors
    /// The errors of [`parse_token_response`](crate::parse_token_response);
    /// [`ResponseError::MissingParameter`]`(`[`Param::IdToken`]`)` without an ID token when
    /// one was asked for, [`ResponseError::UnexpectedParameter`]`(`[`Param::IdToken`]`)`
    /// with one that was not; [`FlowError::NoPendingTransaction`] for a grant already
    /// redeemed, [`FlowError::TransactionMismatch`], [`FlowError::UserMismatch`]; the
    /// errors of [`verify_id_token`].
    ///
    /// # Security
    /// Only hand it a body that came from the token endpoint over TLS, in answer to this
    /// grant's request. `scratch` holds the tokens afterwards: wipe it when done.
    ///
    /// # Examples
    /// An OAuth code flow (no `openid`, so no ID token), redeemed once:
    /// ```
    /// use implicit_grant::*;
    /// # struct Rng(u8);
    /// # impl Random for Rng {
    /// #     fn fill_bytes(&mut self, d: &mut [u8]) -> Result<(), RandomError> {
    /// #         d.iter_mut().for_each(|b| { self.0 = self.0.wrapping_mul(31).wrapping_add(7); *b = self.0 });
    /// #         Ok(())
    /// #     }
    /// # }
    /// # let keys = verify::HmacKey::hs256(b"a shared secret of 32 bytes or more!")?;
    /// let config = Config::builder(
    ///     Issuer::new("https://server.example.com"),
    ///     AuthorizationEndpoint::new("https://server.example.com/authorize"),
    ///     ClientId::new("s6BhdRkqt3"),
    ///     RedirectUri::new("https://client.example.com/cb"),
    /// )
    /// .response_type(ResponseType::Code)
    /// .scope(&["read"])
    /// .build()?;
    /// let (mut store, now) = (MemoryStore::<4>::new(), UnixTime::from_secs(1311280970));
    /// let mut url = [0u8; 512];
    /// let url = begin(&config, &mut Rng(1), &mut store, now, &mut url)?;
    /// let state = url.split("state=").nth(1).and_then(|s| s.split('&').next()).ok_or("no state")?;
    /// let back = format!("https://client.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA&state={state}");
    /// let Callback::Code(mut grant) = callback(&config, &back, &mut store, now, &mut [])? else {
    ///     return Err("expected a code".into());
    /// };
    /// // RFC 6749 §5.1, as the host's POST got it back.
    /// let answer = r#"{"access_token":"2YotnFZFEjr1zCsicMWpAA","token_type":"Bearer","refresh_token":"tGzv3JOkF0XG5Qx2TlKWIA"}"#;
    /// let mut scratch = [0u8; 256];
    /// let Redeemed::Authorized(session) = grant.redeem(&config, 200, answer, &keys, now, &mut scratch)? else {
    ///     return Err("expected tokens".into());
    /// };
    /// assert_eq!(session.refresh_token.ok_or("no refresh token")?.expose_secret(), "tGzv3JOkF0XG5Qx2TlKWIA");
    /// let again = grant.redeem(&config, 200, answer, &keys, now, &mut [0u8; 256]).err();
    /// assert_eq!(again, Some(FlowError::NoPendingTransaction.into()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn redeem<'s>(
        &mut self,
        config: &Config<'_>,
        status: u16,
        body: &str,
        verifier: &impl SignatureVerifier,
        now: UnixTime,
        scratch: &'s mut [u8],
    ) -> Result<Redeemed<'s>, Error> {
        let digest = || sha256_parts(&[&status.to_le_bytes(), body.as_bytes()]);
        match self.redemption {
            Redemption::Spent => return Err(FlowError::NoPendingTransaction.into()),
            Redemption::AwaitingKey(awaited) if !ct_eq(&digest(), &awaited) => {
                return Err(FlowError::TransactionMismatch.into());
            }
            _ => {}
        }
        let first = self.redemption == Redemption::Unused;
        let outcome = self.verify(config, status, body, verifier, now, scratch);
        self.redemption = match &outcome {
            Err(Error::KeySelection(SelectionError::UnknownKey)) if first => {
                Redemption::AwaitingKey(digest())
            }
            // The caller's own mistake (a scratch too small), found before anything was
            // believed: fixed, the same call may be made again.
            Err(e) if e.kind() == ErrorKind::Misuse => self.redemption,
            _ => Redemption::Spent,
        };
        outcome
    }

    /// The work of [`Self::redeem`], once the grant may be redeemed.
    fn verify<'s>(
        &self,
        config: &Config<'_>,
        status: u16,
        body: &str,
        verifier: &impl SignatureVerifier,
        now: UnixTime,
        scratch: &'s mut [u8],
    ) -> Result<Redeemed<'s>, Error> {
        if !self.transaction.was_begun_under(config) {
            return Err(FlowError::TransactionMismatch.into());
        }
        let room = |body: &str| {
            let claims = raw_id_token(body).map_or(0, claims_room);
            claims.saturating_add(scope_room(body))
        };
        let (response, rest) = parse_token_response_with_room(status, body, scratch, room)?;
        let tokens = match response {
            TokenEndpointResponse::Denied(denial) => return Ok(Redeemed::Denied(denial)),
            TokenEndpointResponse::Issued(tokens) => tokens,
        };
        let mut rest = rest;
        let scope = session_scope(tokens.scope, &mut rest)?;
        let access_token = tokens.access_token.expose_secret();
        let claims = match (tokens.id_token, self.transaction.expose_nonce()) {
            (Some(id_token), Some(nonce)) => {
                let mut e = expectations(config, nonce, access_token, now);
                if let Some(max_age) = self.transaction.max_age() {
                    e = e.max_age(max_age);
                }
                let claims = verify_id_token(id_token.expose_secret(), &e, verifier, rest)?;
                if !self.transaction.admits_user(claims.iss, claims.sub) {
                    return Err(FlowError::UserMismatch.into());
                }
                Some(claims)
            }
            // With `openid` (the transaction's nonce; `was_begun_under` checked that the
            // configuration agrees), OIDC Core §3.1.3.3 requires the ID token.
            (None, Some(_)) => return Err(ResponseError::MissingParameter(Param::IdToken).into()),
            (Some(_), None) => {
                return Err(ResponseError::UnexpectedParameter(Param::IdToken).into());
            }
            (None, None) => None,
        };
        Ok(Redeemed::Authorized(session(tokens, scope, claims, now)))
    }
}

/// Bytes of scratch [`verify_id_token`] takes for `token`; 0 for one that is not a compact
/// JWS (verification refuses it then, needing none).
pub(crate) fn claims_room(token: &str) -> usize {
    Compact::split(token)
        .ok()
        .and_then(|token| crate::jwt::required_scratch(&token).ok())
        .unwrap_or(0)
}

/// What an ID token from the token endpoint must match for `config`: its issuer, client,
/// leeway, algorithms and audiences, `nonce`, and `at_hash` when present (OIDC Core
/// §3.1.3.8).
pub(crate) fn expectations<'e>(
    config: &'e Config<'_>,
    nonce: &'e str,
    access_token: &'e str,
    now: UnixTime,
) -> Expectations<'e> {
    Expectations::new(config.issuer, config.client_id().as_str(), nonce, now)
        .leeway(config.leeway)
        .token_endpoint_access_token(access_token)
        .algorithms(config.algorithms)
        .trusted_audiences(config.trusted_audiences)
}

/// The session the token endpoint's tokens make, at `now`.
pub(crate) fn session<'s>(
    tokens: IssuedTokens<'s>,
    scope: Option<Scope<'s>>,
    claims: Option<IdTokenClaims<'s>>,
    now: UnixTime,
) -> Session<'s> {
    Session {
        access_token: Some(tokens.access_token),
        token_type: Some(tokens.token_type),
        expires_in: tokens.expires_in,
        expires_at: tokens.expires_in.map(|span| now.saturating_add(span)),
        scope,
        id_token: tokens.id_token,
        claims,
        refresh_token: tokens.refresh_token,
    }
}

/// Bytes of `scratch` the granted scope of a token response takes in a session: none, or,
/// holding `%` or `+`, its form encoding's ([`session_scope`]); measured on the raw body.
pub(crate) fn scope_room(body: &str) -> usize {
    match raw_scope_counts(body) {
        Some((len, special)) if special > 0 => len.saturating_add(special.saturating_mul(2)),
        _ => 0,
    }
}

/// The granted scope of a token response as a session's [`Scope`], which is form-encoded
/// as in a redirect: borrowed, or, holding `%` or `+`, encoded into the end of `rest`, which
/// then shrinks.
pub(crate) fn session_scope<'s>(
    scope: Option<&'s str>,
    rest: &mut &'s mut [u8],
) -> Result<Option<Scope<'s>>, Error> {
    let Some(scope) = scope else {
        return Ok(None);
    };
    let len = form_len(scope);
    if len == 0 {
        return Ok(Some(Scope::new(RawValue::new(scope))));
    }
    let buf = core::mem::take(rest);
    let split = buf
        .len()
        .checked_sub(len)
        .ok_or(Error::BufferTooSmall { required: len })?;
    let (head, tail) = buf.split_at_mut(split);
    *rest = head;
    Ok(Some(Scope::new(RawValue::new(form_encode(scope, tail)?))))
}

/// The length of a scope (`1*NQCHAR` tokens, one space between) once form-encoded as a
/// [`Scope`] reads it, or 0 when it reads as it is: `%` and `+` take three bytes.
fn form_len(scope: &str) -> usize {
    let escaped = scope.bytes().filter(|&b| b == b'%' || b == b'+').count();
    if escaped == 0 {
        0
    } else {
        scope.len().saturating_add(escaped.saturating_mul(2))
    }
}

/// `scope` form-encoded into `out` (exactly [`form_len`] bytes): `%25`, `%2B`, and `+`
/// for each space.
fn form_encode<'o>(scope: &str, out: &'o mut [u8]) -> Result<&'o str, Error> {
    let too_small = Error::BufferTooSmall {
        required: form_len(scope),
    };
    let mut len = 0usize;
    for b in scope.bytes() {
        let piece: &[u8] = match b {
            b'%' => b"%25",
            b'+' => b"%2B",
            b' ' => b"+",
            _ => core::slice::from_ref(&b),
        };
        let end = len.saturating_add(piece.len());
        out.get_mut(len..end)
            .ok_or(too_small)?
            .copy_from_slice(piece);
        len = end;
    }
    let text = out.get(..len).ok_or(too_small)?;
    core::str::from_utf8(text).map_err(|_| too_small)
}

//! `complete`: turn the redirect back into a verified session, or an authentic denial.

use crate::error::{Error, FlowError, JwtError, Param, ResponseError, SelectionError};
use crate::flow::Config;
use crate::flow::transaction::Transaction;
use crate::host::TransactionStore;
use crate::jwt::{Expectations, IdTokenClaims, SignatureVerifier, verify_id_token};
use crate::oauth::authorize::ResponseMode;
use crate::oauth::response::{
    AuthorizationResponse, ErrorResponse, RawValue, TokenResponse, TokenType, parse_form_post,
    parse_params, split_callback,
};
use crate::secret::{AccessToken, IdToken};

/// What a completed login yields.
#[derive(Clone, Copy, Debug)]
#[must_use = "an unchecked outcome means the user was never authenticated"]
pub enum Outcome<'a> {
    /// The tokens verified.
    Authorized(Session<'a>),
    /// The provider refused (`access_denied`, `login_required`…). Reported only after the
    /// response's `state` matched, so the denial is authentic (RFC 9207 §2.4).
    Denied(ErrorResponse<'a>),
}

/// A verified login.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct Session<'a> {
    /// The access token (`token` and `id_token token` flows), for
    /// [`bearer_header`](crate::bearer_header).
    pub access_token: Option<AccessToken<'a>>,
    /// Its type (always Bearer when there is an access token).
    pub token_type: Option<TokenType>,
    /// `expires_in`, as received.
    pub expires_in: Option<u64>,
    /// When the access token expires: `now + expires_in`.
    pub expires_at: Option<u64>,
    /// The granted scope, when the provider said it (RFC 6749 §3.3).
    pub scope: Option<RawValue<'a>>,
    /// The raw ID token, e.g. for a later `id_token_hint`.
    pub id_token: Option<IdToken<'a>>,
    /// The verified ID token claims.
    pub claims: Option<IdTokenClaims<'a>>,
}

/// Completes a login from the redirect: the fragment (`location.hash`, with or without `#`,
/// or the whole callback URL) or, for `response_mode=form_post`, the POST body.
///
/// In order: parse the response strictly; take the pending transaction (once: a second call
/// finds none); check its age; compare `state` in constant time; check the RFC 9207 `iss`
/// parameter; only then report an `error=` as [`Outcome::Denied`]; check which tokens came
/// for the response type; verify the ID token ([`verify_id_token`]: signature, `iss`, `aud`,
/// `azp`, times, `nonce`, `auth_time`, `at_hash`).
///
/// Decoded values that differ from their encoded form, and the ID token's claims, are
/// written into `scratch`: [`crate::jwt::scratch_len`] of the ID token's length plus the
/// access token's length always suffices.
///
/// # Errors
/// [`FlowError::NoTransaction`] (replay, lost storage), [`FlowError::TransactionExpired`],
/// [`FlowError::StateMissing`], [`FlowError::StateMismatch`], [`FlowError::IssuerMismatch`],
/// [`FlowError::RedirectUriMismatch`], [`FlowError::TransactionMismatch`],
/// [`FlowError::Storage`]; [`ResponseError`]s for a malformed response or missing tokens;
/// the errors of [`verify_id_token`]; [`Error::BufferTooSmall`] for a short `scratch`.
///
/// Once the pending transaction is taken (after the response parsed), every outcome
/// consumes it except a first [`SelectionError::UnknownKey`](crate::SelectionError::UnknownKey): the ID token names a key the
/// verifier does not hold (the provider rotated its keys). The transaction is then saved
/// again, bound to that ID token, so the host may fetch the JWKS anew and call `complete`
/// once more with the same input (OpenID RP test `rp-key-rotation-op-sign-key`). That
/// retry must carry the same ID token (anything else is
/// [`FlowError::TransactionMismatch`], an `error=` response included), and consumes the
/// transaction whatever its outcome, so a made-up `kid` buys one refetch at most. If the
/// save fails, the error is [`FlowError::Storage`].
///
/// # Security
/// Clear the fragment from the address bar and history once read (`history.replaceState`).
/// `scratch` holds the claims and the access token afterwards: wipe it when done.
///
/// # Examples
/// See the crate's `examples/demo.rs` for a whole flow; the shape is:
/// ```no_run
/// # use implicit_grant::*;
/// # fn run(config: &Config<'_>, store: &mut impl TransactionStore, keys: &impl jwt::SignatureVerifier,
/// #        hash: &str, now: u64) -> Result<(), Error> {
/// let mut scratch = [0u8; 8192];
/// match complete(config, hash, store, keys, now, &mut scratch)? {
///     Outcome::Authorized(session) => { let _ = session.claims; }
///     Outcome::Denied(denial) => { let _ = denial.error; }
/// }
/// # Ok(()) }
/// ```
pub fn complete<'a>(
    config: &Config<'_>,
    input: &'a str,
    store: &mut impl TransactionStore,
    verifier: &impl SignatureVerifier,
    now: u64,
    scratch: &'a mut [u8],
) -> Result<Outcome<'a>, Error> {
    let response = match config.response_mode {
        ResponseMode::FormPost => parse_form_post(input)?,
        ResponseMode::Fragment => {
            let (url, fragment) = split_callback(input)?;
            if url.is_some_and(|url| url != config.redirect_uri) {
                return Err(FlowError::RedirectUriMismatch.into());
            }
            parse_params(fragment)?
        }
    };

    let record = store
        .take()
        .map_err(|_| FlowError::Storage)?
        .ok_or(FlowError::NoTransaction)?;
    let transaction = Transaction::from_record(&record)?;
    if transaction.response_type() != config.response_type
        || transaction.response_mode() != config.response_mode
        || !transaction.is_bound_to(config)
    {
        return Err(FlowError::TransactionMismatch.into());
    }
    if now.saturating_sub(transaction.issued_at()) > config.transaction_lifetime {
        return Err(FlowError::TransactionExpired.into());
    }
    let state = response.state().ok_or(FlowError::StateMissing)?;
    if !state.expose_secret().ct_eq_decoded(transaction.state()) {
        return Err(FlowError::StateMismatch.into());
    }
    if response
        .iss()
        .is_some_and(|iss| !iss.decoded_eq(config.issuer))
    {
        return Err(FlowError::IssuerMismatch.into());
    }
    let id_token = match &response {
        AuthorizationResponse::Success(tokens) => tokens.id_token.map(|t| t.expose_secret()),
        AuthorizationResponse::Error(_) => None,
    };
    let id_token = id_token.and_then(|t| t.as_verbatim());
    // A retry after `UnknownKey` must carry the very ID token that named the key.
    let retry = transaction.retry_of(id_token);
    if retry == Some(false) {
        return Err(FlowError::TransactionMismatch.into());
    }
    match response {
        AuthorizationResponse::Error(denial) => Ok(Outcome::Denied(denial)),
        AuthorizationResponse::Success(tokens) => {
            match authorized(config, &transaction, &tokens, verifier, now, scratch) {
                // Key rotation: the state matched, but the ID token names a key the host
                // does not have yet. Keep the transaction, bound to this ID token, so the
                // host can fetch the provider's keys again and retry once.
                Err(Error::Jwt(JwtError::KeySelection(SelectionError::UnknownKey)))
                    if retry.is_none() =>
                {
                    if let Some(id_token) = id_token {
                        let waiting = transaction.awaiting_key_for(id_token).to_record();
                        store.save(&waiting).map_err(|_| FlowError::Storage)?;
                    }
                    Err(JwtError::KeySelection(SelectionError::UnknownKey).into())
                }
                result => result.map(Outcome::Authorized),
            }
        }
    }
}

/// The success half of [`complete`], after `state` matched.
fn authorized<'a>(
    config: &Config<'_>,
    transaction: &Transaction,
    tokens: &TokenResponse<'a>,
    verifier: &impl SignatureVerifier,
    now: u64,
    scratch: &'a mut [u8],
) -> Result<Session<'a>, Error> {
    let rt = transaction.response_type();
    let expect = |present: bool, wanted: bool, param: Param| match (present, wanted) {
        (false, true) => Err(ResponseError::MissingParameter(param)),
        (true, false) => Err(ResponseError::UnexpectedParameter(param)),
        _ => Ok(()),
    };
    expect(
        tokens.access_token.is_some(),
        rt.has_access_token(),
        Param::AccessToken,
    )?;
    expect(tokens.id_token.is_some(), rt.has_id_token(), Param::IdToken)?;
    if rt.has_access_token() && tokens.token_type.is_none() {
        return Err(ResponseError::MissingParameter(Param::TokenType).into());
    }

    let mut scratch = scratch;
    let access_token = tokens
        .access_token
        .map(|at| decoded(at.expose_secret(), &mut scratch))
        .transpose()?;
    // An ID token holds only base64url characters and dots, so it is its own decoding.
    let id_token = tokens
        .id_token
        .map(|t| {
            t.expose_secret()
                .as_verbatim()
                .ok_or(ResponseError::InvalidParameter(Param::IdToken))
        })
        .transpose()?;
    let claims = match (id_token, transaction.nonce()) {
        (Some(id_token), Some(nonce)) => {
            let e = Expectations::new(config.issuer, config.client_id, nonce, now)
                .leeway(config.leeway)
                .max_age(transaction.max_age())
                .access_token(access_token)
                .algorithms(config.algorithms)
                .trusted_audiences(config.trusted_audiences);
            Some(verify_id_token(id_token, &e, verifier, scratch)?)
        }
        (Some(_), None) => return Err(FlowError::CorruptTransaction.into()),
        (None, _) => None,
    };
    let expires_at = tokens
        .expires_in
        .map(|secs| {
            now.checked_add(secs)
                .ok_or(ResponseError::InvalidParameter(Param::ExpiresIn))
        })
        .transpose()?;
    Ok(Session {
        access_token: access_token.map(AccessToken::new),
        token_type: tokens.token_type,
        expires_in: tokens.expires_in,
        expires_at,
        scope: tokens.scope,
        id_token: id_token.map(IdToken::new),
        claims,
    })
}

/// The decoded value: borrowed when decoding changes nothing, else written to the front of
/// `scratch`, which then shrinks to what is left.
fn decoded<'a>(value: RawValue<'a>, scratch: &mut &'a mut [u8]) -> Result<&'a str, Error> {
    if let Some(verbatim) = value.as_verbatim() {
        return Ok(verbatim);
    }
    let buf = core::mem::take(scratch);
    let len = value.decode_into(buf)?.len();
    let (head, tail) = buf.split_at_mut(len);
    *scratch = tail;
    core::str::from_utf8(head).map_err(|_| ResponseError::InvalidUtf8.into())
}

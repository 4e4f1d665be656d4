//! `complete`: turn the redirect back into a verified session, or an authentic denial.

use core::time::Duration;

use zeroize::Zeroizing;

use crate::codec::digest::sha256_parts;
#[cfg(feature = "code")]
use crate::error::ConfigError;
use crate::error::{Error, FlowError, ResponseError, SelectionError};
use crate::flow::hint::IdTokenHint;
use crate::flow::transaction::{Attempt, HASH_LEN, Transaction};
use crate::flow::{Config, IssParameter};
use crate::host::{TransactionKey, TransactionStore};
use crate::jwt::{Compact, Expectations, IdTokenClaims, SignatureVerifier, verify_id_token};
use crate::limits::MAX_SECRET_LEN;
use crate::oauth::authorize::{ResponseMode, ResponseType};
use crate::oauth::param::Param;
use crate::oauth::response::{
    AuthorizationResponse, ErrorResponse, TokenResponse, TokenType, parse_form_post, parse_params,
    split_callback,
};
use crate::oauth::scope::Scope;
use crate::oauth::value::{Decoding, RawValue, SecretValue};
use crate::secret::{AccessToken, IdToken};
use crate::time::UnixTime;

/// What a completed login yields.
#[derive(Clone, Copy, Debug)]
#[must_use = "an unchecked outcome means the user was never authenticated"]
// No allocator to box the session with; an outcome is made once and matched at once.
#[allow(clippy::large_enum_variant)]
pub enum Outcome<'a> {
    /// The tokens verified.
    Authorized(Session<'a>),
    /// The provider refused (`access_denied`, `login_required`…). Reported only after the
    /// response's `state` matched, so the denial is authentic (RFC 9207 §2.4).
    Denied(ErrorResponse<'a>),
    /// The ID token names a key (`kid`) the verifier does not hold: the provider has
    /// probably rotated its signing keys (OpenID RP test `rp-key-rotation-op-sign-key`).
    /// The transaction was saved again, bound to this token response (its `access_token`,
    /// `id_token`, `token_type`, `expires_in` and `scope`): fetch the provider's JWK Set
    /// anew and call [`complete`] once more with the same input. That retry consumes the
    /// transaction whatever its outcome; if the key is still unknown it fails with
    /// [`SelectionError::UnknownKey`], so a made-up `kid` buys one refetch at most.
    KeysOutdated,
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
    /// `expires_in`, as received (whole seconds).
    pub expires_in: Option<Duration>,
    /// When the access token expires: `now + expires_in`, saturating (RFC 6749 App. A.14
    /// sets no bound on `expires_in`).
    pub expires_at: Option<UnixTime>,
    /// The granted scope, when the provider said it (RFC 6749 §3.3).
    pub scope: Option<Scope<'a>>,
    /// The ID token, decoded, e.g. for a later `id_token_hint`.
    pub id_token: Option<IdToken<'a>>,
    /// The verified ID token claims.
    pub claims: Option<IdTokenClaims<'a>>,
    /// The refresh token of a code flow, when the token endpoint issued one (never in an
    /// implicit response: RFC 6749 §4.2.2).
    #[cfg(feature = "code")]
    #[cfg_attr(docsrs, doc(cfg(feature = "code")))]
    pub refresh_token: Option<crate::secret::RefreshToken<'a>>,
}

impl<'a> Session<'a> {
    /// The ID token of this session as the `id_token_hint` of its renewal
    /// ([`Config::silent`](crate::Config::silent)), naming its verified user; `None`
    /// without an ID token.
    ///
    /// ```no_run
    /// # use implicit_grant::{Config, Session};
    /// # fn f(config: &Config<'_>, session: Session<'_>) -> Result<(), implicit_grant::Error> {
    /// if let Some(hint) = session.id_token_hint() {
    ///     let silent = config.silent(hint)?; // begin(&silent, …) in a hidden frame
    /// #   let _ = silent;
    /// }
    /// # Ok(()) }
    /// ```
    #[must_use]
    pub fn id_token_hint(&self) -> Option<IdTokenHint<'a>> {
        let (token, claims) = self.id_token.zip(self.claims)?;
        Some(IdTokenHint::verified(
            token.expose_secret(),
            claims.iss,
            claims.sub,
        ))
    }

    /// When to renew the session silently ([`Config::silent`](crate::Config::silent)):
    /// `margin` before the access token expires (`expires_at`), or, with no access
    /// token or no `expires_in`, before the ID token's `exp`; `None` when neither is known.
    /// Keep the value: the session borrows the scratch buffer, the instant does not.
    ///
    /// A margin of a minute or two leaves the renewal time to finish before the access
    /// token stops working; it saturates at 0 for a lifetime shorter than the margin. An
    /// instant already past means "renew now": renew once, not in a loop (a provider that
    /// grants `expires_in=0` would otherwise be asked again at once).
    ///
    /// ```no_run
    /// # use implicit_grant::{Session, UnixTime};
    /// # fn f(session: Session<'_>, now: UnixTime) {
    /// use core::time::Duration;
    /// let renew_at = session.renew_at(Duration::from_secs(60));
    /// if renew_at.is_some_and(|t| now >= t) { /* begin(&config.silent(hint)?, …) */ }
    /// # }
    /// ```
    #[must_use]
    pub fn renew_at(&self, margin: Duration) -> Option<UnixTime> {
        self.access_token
            .and(self.expires_at)
            .or_else(|| self.claims.map(|claims| claims.exp))
            .map(|expiry| expiry.saturating_sub(margin))
    }
}

/// Completes a login from the redirect: the fragment (`location.hash`, with or without `#`,
/// or the whole callback URL) or, for `response_mode=form_post`, the POST body.
///
/// RFC 6749 §4.2.2, OIDC Core §3.2.2.5–§3.2.2.11, RFC 9207, RFC 9700 §4.2.4 and §4.4.2.
///
/// In order:
/// 1. without touching the store: parse the response strictly; check the callback URL, the
///    RFC 9207 `iss` parameter (see [`IssParameter`]), the tokens the response type needs,
///    and the size of `scratch`; decode the tokens into `scratch`;
/// 2. take the pending transaction stored under the key of the returned `state`
///    ([`TransactionKey`]); none is [`FlowError::NoPendingTransaction`];
/// 3. compare the full `state` in constant time; check the transaction's configuration and
///    age;
/// 4. only then report an `error=` as [`Outcome::Denied`];
/// 5. verify the ID token ([`verify_id_token`]: signature, `iss`, `aud`, `azp`, times,
///    `nonce`, `auth_time`, `at_hash`).
///
/// So a stray or forged response, or a caller's mistake found in step 1, leaves every
/// pending login usable; once a transaction is taken (step 2) it is consumed whatever the
/// outcome, except [`Outcome::KeysOutdated`].
///
/// `scratch` receives the decoded tokens and the ID token's claims: the access token's and
/// the ID token's lengths plus [`crate::jwt::scratch_len`] of the ID token's length always
/// suffice; a shorter one is [`Error::BufferTooSmall`] with the exact size, before step 2.
///
/// # Errors
/// Before the store is touched: [`ResponseError`]s for a malformed response, missing or
/// unexpected tokens, or an `iss` parameter against the [`IssParameter`] setting;
/// [`FlowError::RedirectUriMismatch`], [`FlowError::IssParameterMismatch`],
/// [`FlowError::StateMissing`], [`JwtError`](crate::JwtError)s for an ID token that is not a compact JWS,
/// [`Error::BufferTooSmall`]. Never a [`ConfigError`](crate::ConfigError): the
/// configuration was checked when it was built; but a `code` configuration is
/// [`ConfigError::Forbidden`](crate::ConfigError::Forbidden)`(`[`Param::ResponseType`]`)`:
/// its redirect goes to [`callback`](crate::callback).
/// Then: [`FlowError::Storage`], [`FlowError::NoPendingTransaction`] (replay, unsolicited response,
/// lost storage), [`FlowError::CorruptTransaction`], [`FlowError::StateMismatch`],
/// [`FlowError::TransactionMismatch`] (begun under another configuration, or a key-rotation
/// retry with another token response), [`FlowError::TransactionExpired`],
/// [`FlowError::UserMismatch`] (a renewal answered for another user than its hint's), and
/// the errors of
/// [`verify_id_token`].
///
/// # Security
/// Clear the fragment from the address bar and history once read (`history.replaceState`).
/// `scratch` holds the tokens and claims afterwards: wipe it when done. A host that talks
/// to several providers gives each its own `redirect_uri` (RFC 9700 §4.4.2) and picks the
/// `config` by the callback's URL; a transaction begun under another configuration is
/// refused.
///
/// # Examples
/// See the crate's `examples/demo.rs` for a whole flow; the shape is:
/// ```no_run
/// # use implicit_grant::*;
/// # fn fetch_jwks() -> verify::Jwks { unimplemented!() }
/// # fn run(config: &Config<'_>, store: &mut impl TransactionStore, hash: &str, now: UnixTime)
/// #     -> Result<(), Error> {
/// let mut keys = fetch_jwks();
/// let mut scratch = [0u8; 8192];
/// let outcome = match complete(config, hash, store, &keys, now, &mut scratch)? {
///     Outcome::KeysOutdated => {
///         keys = fetch_jwks(); // the provider rotated its keys: fetch them once more
///         let mut scratch = [0u8; 8192];
///         let again = complete(config, hash, store, &keys, now, &mut scratch)?;
///         matches!(again, Outcome::Authorized(_))
///     }
///     Outcome::Authorized(session) => session.claims.is_some(),
///     Outcome::Denied(denial) => { let _ = denial.error; false }
/// };
/// # let _ = outcome; Ok(()) }
/// ```
pub fn complete<'a>(
    config: &Config<'_>,
    input: &'a str,
    store: &mut impl TransactionStore,
    verifier: &impl SignatureVerifier,
    now: UnixTime,
    scratch: &'a mut [u8],
) -> Result<Outcome<'a>, Error> {
    // A `code` redirect carries no tokens: read as an implicit one, it would complete with
    // none. Its entry point is `callback`.
    #[cfg(feature = "code")]
    if matches!(config.response_type(), ResponseType::Code) {
        return Err(ConfigError::Forbidden(Param::ResponseType).into());
    }
    // 1. Everything that needs no transaction.
    let response = parse(config, input)?;
    let has_id_token =
        matches!(response, AuthorizationResponse::Success(t) if t.id_token.is_some());
    check_iss(config, response.iss(), has_id_token)?;
    let state = response.state().ok_or(FlowError::StateMissing)?;
    let pending = match response {
        AuthorizationResponse::Error(denial) => Pending::Denied(denial),
        AuthorizationResponse::Success(tokens) => {
            Pending::Tokens(Tokens::decode(config.response_type(), &tokens, scratch)?)
        }
    };

    // 2 and 3. The transaction this `state` was sent with, and its own checks.
    let (key, transaction) = claim(config, store, state, now)?;
    // A retry after `KeysOutdated` must carry the very token response whose ID token named
    // the key: every member, not only the ID token (hashed only for a retry).
    let attempt = transaction.attempt(|| match &pending {
        Pending::Tokens(tokens) => Some(tokens.digest()),
        Pending::Denied(_) => None,
    });
    if attempt == Attempt::OtherResponse {
        return Err(FlowError::TransactionMismatch.into());
    }

    // 4 and 5.
    let mut tokens = match pending {
        Pending::Denied(denial) => return Ok(Outcome::Denied(denial)),
        Pending::Tokens(tokens) => tokens,
    };
    match tokens.verify(config, &transaction, verifier, now) {
        Err(Error::KeySelection(SelectionError::UnknownKey)) if attempt == Attempt::First => {
            let waiting = transaction.awaiting_key_for(tokens.digest());
            store
                .save(&key, &waiting.to_record(), waiting.issued_at())
                .map_err(|_| FlowError::Storage)?;
            Ok(Outcome::KeysOutdated)
        }
        result => result.map(Outcome::Authorized),
    }
}

/// Takes the transaction stored under the key of the returned `state` and checks it: the
/// full `state` in constant time, the configuration it was begun under, its age. Once
/// taken, it is consumed whatever the checks say.
pub(crate) fn claim(
    config: &Config<'_>,
    store: &mut impl TransactionStore,
    state: SecretValue<'_>,
    now: UnixTime,
) -> Result<(TransactionKey, Transaction), Error> {
    let key = key_of(state).ok_or(FlowError::NoPendingTransaction)?;
    let transaction = take(store, &key)?;
    if !state
        .expose_secret()
        .ct_eq_decoded(transaction.expose_state())
    {
        return Err(FlowError::StateMismatch.into());
    }
    if !transaction.was_begun_under(config) {
        return Err(FlowError::TransactionMismatch.into());
    }
    if transaction.issued_at() < now.saturating_sub(config.transaction_lifetime) {
        return Err(FlowError::TransactionExpired.into());
    }
    Ok((key, transaction))
}

/// The response, read as the configured response mode says.
fn parse<'a>(config: &Config<'_>, input: &'a str) -> Result<AuthorizationResponse<'a>, Error> {
    match config.response_mode() {
        // Only a `code` configuration has this mode, and it was refused above.
        #[cfg(feature = "code")]
        ResponseMode::Query => Err(ConfigError::Forbidden(Param::ResponseType).into()),
        ResponseMode::FormPost => parse_form_post(input),
        ResponseMode::Fragment => {
            let (url, fragment) = split_callback(input)?;
            if url.is_some_and(|url| url != config.redirect_uri().as_str()) {
                return Err(FlowError::RedirectUriMismatch.into());
            }
            parse_params(fragment)
        }
    }
}

/// RFC 9207 §2.4: the `iss` parameter, as the provider's support for it says; a response
/// with an ID token names its issuer there instead.
pub(crate) fn check_iss(
    config: &Config<'_>,
    iss: Option<RawValue<'_>>,
    has_id_token: bool,
) -> Result<(), Error> {
    match (iss, config.iss_parameter) {
        (Some(iss), _) if !iss.decoded_eq(config.issuer) => {
            Err(FlowError::IssParameterMismatch.into())
        }
        (Some(_), IssParameter::Unsupported) => {
            Err(ResponseError::UnexpectedParameter(Param::Iss).into())
        }
        (None, IssParameter::Supported) if !has_id_token => {
            Err(ResponseError::MissingParameter(Param::Iss).into())
        }
        _ => Ok(()),
    }
}

/// Takes the transaction stored under `key` out of `store`. Not inlined: the record and
/// the store's own temporaries stay out of the frame that is live during signature
/// verification (a microcontroller's stack).
#[inline(never)]
pub(crate) fn take(
    store: &mut impl TransactionStore,
    key: &TransactionKey,
) -> Result<Transaction, Error> {
    let record = store
        .take(key)
        .map_err(|_| FlowError::Storage)?
        .ok_or(FlowError::NoPendingTransaction)?;
    Ok(Transaction::from_record(&record)?)
}

/// The key of the transaction a returned `state` would belong to; `None` when no
/// transaction can hold it (longer than any `state` this crate stores).
fn key_of(state: SecretValue<'_>) -> Option<TransactionKey> {
    let mut buf = Zeroizing::new([0u8; MAX_SECRET_LEN]);
    let state = state.expose_secret().decode_into(buf.as_mut()).ok()?;
    Some(TransactionKey::for_state(state))
}

/// What came back, once decoded.
enum Pending<'a> {
    Denied(ErrorResponse<'a>),
    Tokens(Tokens<'a>),
}

/// The tokens of a success response, decoded into the front of `scratch`, with the rest of
/// `scratch` (large enough to verify the ID token) kept for the claims.
struct Tokens<'a> {
    access_token: Option<&'a str>,
    id_token: Option<&'a str>,
    token_type: Option<TokenType>,
    expires_in: Option<Duration>,
    scope: Option<Scope<'a>>,
    scratch: &'a mut [u8],
}

impl<'a> Tokens<'a> {
    /// Checks that the tokens `response_type` asks for came, and no others, then decodes
    /// them, after checking that `scratch` holds them and the ID token's claims.
    fn decode(
        response_type: ResponseType,
        tokens: &TokenResponse<'a>,
        scratch: &'a mut [u8],
    ) -> Result<Self, Error> {
        let expect = |present: bool, wanted: bool, param: Param| match (present, wanted) {
            (false, true) => Err(ResponseError::MissingParameter(param)),
            (true, false) => Err(ResponseError::UnexpectedParameter(param)),
            _ => Ok(()),
        };
        let access_token = tokens.access_token.map(Decoding::new);
        let id_token = tokens.id_token.map(Decoding::new);
        expect(
            access_token.is_some(),
            response_type.has_access_token(),
            Param::AccessToken,
        )?;
        expect(
            id_token.is_some(),
            response_type.has_id_token(),
            Param::IdToken,
        )?;
        if response_type.has_access_token() && tokens.token_type.is_none() {
            return Err(ResponseError::MissingParameter(Param::TokenType).into());
        }

        let copies = [access_token, id_token].map(|v| v.map_or(0, Decoding::scratch_len));
        let claims = id_token.map_or(Ok(0), claims_len)?;
        let required = copies
            .iter()
            .try_fold(claims, |sum, &n| sum.checked_add(n))
            .ok_or(ResponseError::TooLarge)?;
        if scratch.len() < required {
            return Err(Error::BufferTooSmall { required });
        }
        let mut scratch = scratch;
        let access_token = access_token
            .map(|v| v.write_front(&mut scratch))
            .transpose()?;
        let id_token = id_token.map(|v| v.write_front(&mut scratch)).transpose()?;
        Ok(Self {
            access_token,
            id_token,
            token_type: tokens.token_type,
            expires_in: tokens.expires_in,
            scope: tokens.scope,
            scratch,
        })
    }

    /// The SHA-256 of every member of the response, each with its length (all ones when
    /// absent), so that no two responses share an input. Not inlined: its hashing state
    /// stays out of the frame that is live during signature verification.
    #[inline(never)]
    fn digest(&self) -> [u8; HASH_LEN] {
        let len = |v: Option<&str>| v.map_or(u64::MAX, |v| v.len() as u64).to_le_bytes();
        let token_type = self.token_type.map(|t| match t {
            TokenType::Bearer => "Bearer",
        });
        let scope = self.scope.map(|s| s.as_encoded());
        sha256_parts(&[
            &len(self.access_token),
            self.access_token.unwrap_or_default().as_bytes(),
            &len(self.id_token),
            self.id_token.unwrap_or_default().as_bytes(),
            &len(token_type),
            token_type.unwrap_or_default().as_bytes(),
            &len(scope),
            scope.unwrap_or_default().as_bytes(),
            &[u8::from(self.expires_in.is_some())],
            &self.expires_in.map_or(0, |d| d.as_secs()).to_le_bytes(),
        ])
    }

    /// The success half of [`complete`], after `state` matched. It takes the scratch
    /// buffer (the session borrows it) and leaves the members, for [`Tokens::digest`].
    fn verify(
        &mut self,
        config: &Config<'_>,
        transaction: &Transaction,
        verifier: &impl SignatureVerifier,
        now: UnixTime,
    ) -> Result<Session<'a>, Error> {
        let claims = match (self.id_token, transaction.expose_nonce()) {
            (Some(id_token), Some(nonce)) => {
                let mut e =
                    Expectations::new(config.issuer, config.client_id().as_str(), nonce, now)
                        .leeway(config.leeway)
                        .access_token(self.access_token)
                        .algorithms(config.algorithms)
                        .trusted_audiences(config.trusted_audiences);
                if let Some(max_age) = transaction.max_age() {
                    e = e.max_age(max_age);
                }
                let claims =
                    verify_id_token(id_token, &e, verifier, core::mem::take(&mut self.scratch))?;
                // A renewal with `id_token_hint` is for that user only (OIDC Core §3.1.2.1
                // leaves refusing another user to the provider, as a SHOULD).
                if !transaction.admits_user(claims.iss, claims.sub) {
                    return Err(FlowError::UserMismatch.into());
                }
                Some(claims)
            }
            (Some(_), None) => return Err(FlowError::CorruptTransaction.into()),
            (None, _) => None,
        };
        Ok(Session {
            access_token: self.access_token.map(AccessToken::new),
            token_type: self.token_type,
            expires_in: self.expires_in,
            expires_at: self.expires_in.map(|span| now.saturating_add(span)),
            scope: self.scope,
            id_token: self.id_token.map(IdToken::new),
            claims,
            #[cfg(feature = "code")]
            refresh_token: None,
        })
    }
}

/// Bytes of scratch [`verify_id_token`] needs for this ID token, measured on its decoding.
fn claims_len(id_token: Decoding<'_>) -> Result<usize, Error> {
    match id_token.verbatim() {
        Some(token) => crate::jwt::required_scratch(&Compact::split(token)?),
        None => crate::jwt::required_scratch_decoded(id_token.raw().decoded()),
    }
}

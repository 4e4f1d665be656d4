//! The pending transaction: what `begin` sent and `complete` must find again, and the one
//! place that knows its record's layout.
//!
//! A [`Record`] is [`RECORD_LEN`] bytes, all fields fixed-size, integers little-endian:
//!
//! | bytes | field |
//! |---|---|
//! | 1 | layout version ([`VERSION`]) |
//! | 1 | `response_type`: 0 `token`, 1 `id_token`, 2 `id_token token`, 3 `code` |
//! | 1 | `response_mode`: 0 fragment, 1 `form_post`, 2 query |
//! | 1 + 64 | `state`: its length, then its bytes, zero-padded |
//! | 1 + 64 | `nonce`: the same; length 0 for none |
//! | 8 | when `begin` ran, Unix seconds |
//! | 1 + 8 | `max_age`: 1 and whole seconds, or 0 and zeros |
//! | 32 | SHA-256 binding to the issuer, endpoint, client id and redirect URI |
//! | 1 + 32 | key-rotation retry: 1 and the SHA-256 of the token response, or 0 and zeros |
//! | 1 + 32 | the user an `id_token_hint` named: 1 and the SHA-256 of the `nonce` and the hash of its `iss` and `sub`, or 0 and zeros |
//! | 1 + 64 | the PKCE `code_verifier` of a `code` request: its length, then its bytes, zero-padded; length 0 for none |
//!
//! An absent field is all zeros, and so is a `state` or `nonce` past its length: a record
//! with other bytes there was not written here. The user is salted with the `nonce`, so
//! that whoever reads the storage cannot tell which user a renewal is for by hashing
//! guessable subjects.
//!
//! A store never reads it: it sees opaque bytes, and the issue time it is handed.

use core::fmt;
use core::time::Duration;

use zeroize::Zeroize;

use crate::codec::digest::sha256_parts;
use crate::ct::ct_eq;
use crate::error::{ConfigError, FlowError};
use crate::flow::Config;
use crate::flow::hint::{USER_LEN, user_of};
use crate::host::{Record, TransactionKey};
use crate::limits::{MAX_SECRET_LEN, MIN_SECRET_LEN, RECORD_LEN};
use crate::oauth::authorize::{ResponseMode, ResponseType};
use crate::oauth::param::Param;
use crate::oauth::syntax;
use crate::secret::{Redacted, redacted};
use crate::time::UnixTime;

/// The record layout's version: a record of another layout is refused as corrupt.
const VERSION: u8 = 5;

// The record layout of `Transaction::to_record` fills `RECORD_LEN` exactly.
const _: () = assert!(
    RECORD_LEN
        == 3 + (1 + MAX_SECRET_LEN) * 2
            + 8
            + 1
            + 8
            + BINDING_LEN
            + 1
            + HASH_LEN
            + 1
            + USER_LEN
            + 1
            + MAX_SECRET_LEN
);

/// Length of the hash that binds a transaction to the configuration that began it.
const BINDING_LEN: usize = 32;
/// Length of the hash of a token response awaiting a key refresh.
pub(crate) const HASH_LEN: usize = 32;

/// A `state` or `nonce`: fixed capacity, wiped on drop, never printed.
#[derive(Clone)]
struct Secret {
    buf: [u8; MAX_SECRET_LEN],
    len: u8,
}

impl Secret {
    fn new(value: &str, param: Param) -> Result<Self, ConfigError> {
        if value.len() < MIN_SECRET_LEN {
            return Err(ConfigError::Weak(param));
        }
        if !syntax::all_of(value.bytes(), syntax::is_vschar) {
            return Err(ConfigError::Invalid(param));
        }
        let mut buf = [0u8; MAX_SECRET_LEN];
        buf.get_mut(..value.len())
            .ok_or(ConfigError::Invalid(param))?
            .copy_from_slice(value.as_bytes());
        let len = u8::try_from(value.len()).map_err(|_| ConfigError::Invalid(param))?;
        Ok(Self { buf, len })
    }

    fn as_str(&self) -> &str {
        let bytes = self.buf.get(..usize::from(self.len)).unwrap_or_default();
        core::str::from_utf8(bytes).unwrap_or_default()
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.buf.zeroize();
    }
}

/// One pending authorization request: `state`, `nonce`, what was asked for and when.
///
/// It is consumed by the check: `complete` takes it out of the store, so a `state` is checked
/// at most once (RFC 9700 §4.2.4). It serializes to a fixed-size [`Record`].
///
/// # Security
/// It holds `state`, `nonce` and, for `code`, the PKCE verifier: `Debug` redacts them and
/// they are wiped on drop. Its record holds them too: a store must keep records as
/// confidential as the session itself (a verifier read from it, with a stolen code, redeems
/// that code).
///
/// ```
/// use implicit_grant::*;
/// let config = Config::builder(
///     Issuer::new("https://server.example.com"),
///     AuthorizationEndpoint::new("https://server.example.com/authorize"),
///     ClientId::new("s6BhdRkqt3"),
///     RedirectUri::new("https://client.example.org/cb"),
/// )
/// .build()?;
/// let t = Transaction::new(
///     &config,
///     "nbV4dtB8_7jVOQ3ggcpwc7D5Y7wbRhSFG7Bea4wclpA",
///     Some("4ZbQ_LKBbcFdJNF5kmlOHUmwPu53A5zKF8H6M8u9uEw"),
///     UnixTime::from_secs(1311280970),
/// )?;
/// let back = Transaction::from_record(&t.to_record())?;
/// assert_eq!(back.expose_state(), t.expose_state());
/// assert_eq!(back.key(), t.key());
/// assert!(!format!("{t:?}").contains("nbV4"));
/// # Ok::<(), implicit_grant::Error>(())
/// ```
#[derive(Clone)]
pub struct Transaction {
    state: Secret,
    nonce: Option<Secret>,
    response_type: ResponseType,
    response_mode: ResponseMode,
    issued_at: UnixTime,
    max_age: Option<Duration>,
    binding: [u8; BINDING_LEN],
    retry: Retry,
    user: Option<[u8; USER_LEN]>,
    /// The PKCE verifier of a `code` request.
    verifier: Option<Secret>,
}

/// Where a transaction stands with key rotation ([`Outcome::KeysOutdated`](crate::Outcome::KeysOutdated)).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Retry {
    /// Not tried yet.
    None,
    /// An ID token named a key the verifier lacked: the one retry `complete` allows, after
    /// the host refreshed its keys, is for the token response with this SHA-256.
    AwaitingKey([u8; HASH_LEN]),
}

/// What a response is to its transaction, as far as key rotation goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Attempt {
    /// The first response for this transaction.
    First,
    /// The retry after [`Outcome::KeysOutdated`](crate::Outcome::KeysOutdated), with the
    /// same token response.
    Retry,
    /// A retry with another token response (any member differs), or a denial.
    OtherResponse,
}

impl Transaction {
    /// The transaction of a request made under `config` with these `state` and `nonce`
    /// at `issued_at`: `begin` draws them from [`crate::Random`]; tests and hosts with their
    /// own generator make their own. It records `config`'s response type, response mode
    /// and `max_age`, and is bound to its issuer, endpoint, client id and redirect URI
    /// (RFC 9700 §4.4.2: the client keeps, per request, the issuer it sent it to), so
    /// `complete` refuses it under another configuration.
    ///
    /// # Errors
    /// [`ConfigError::Weak`] for a `state` or `nonce` under 22 characters;
    /// [`ConfigError::Invalid`] for one over 64 characters or outside `VSCHAR`;
    /// [`ConfigError::Missing`]`(Nonce)` when the response type has an ID token and no
    /// nonce is given; [`ConfigError::Missing`]`(CodeVerifier)` for a `code` configuration,
    /// whose transaction holds the PKCE verifier `begin` draws.
    ///
    /// ```
    /// use implicit_grant::*;
    /// let config = Config::builder(
    ///     Issuer::new("https://server.example.com"),
    ///     AuthorizationEndpoint::new("https://server.example.com/authorize"),
    ///     ClientId::new("s6BhdRkqt3"),
    ///     RedirectUri::new("https://client.example.org/cb"),
    /// )
    /// .build()?;
    /// let state = "nbV4dtB8_7jVOQ3ggcpwc7D5Y7wbRhSFG7Bea4wclpA";
    /// let issued_at = UnixTime::from_secs(1311280970);
    /// let nonce = Some("4ZbQ_LKBbcFdJNF5kmlOHUmwPu53A5zKF8H6M8u9uEw");
    /// let t = Transaction::new(&config, state, nonce, issued_at)?;
    /// assert_eq!(t.response_type(), ResponseType::IdTokenToken); // the default
    /// // `id_token token` needs a nonce; OIDC Core's sample `state` is too short (under 128 bits).
    /// assert_eq!(Transaction::new(&config, state, None, issued_at).err(), Some(ConfigError::Missing(Param::Nonce)));
    /// assert_eq!(Transaction::new(&config, "af0ifjsldkj", nonce, issued_at).err(), Some(ConfigError::Weak(Param::State)));
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    pub fn new(
        config: &Config<'_>,
        state: &str,
        nonce: Option<&str>,
        issued_at: UnixTime,
    ) -> Result<Self, ConfigError> {
        Self::make(config, state, nonce, None, issued_at)
    }

    /// [`Transaction::new`] for a `code` configuration, with the PKCE verifier whose
    /// challenge its request sent (`begin` draws one; hosts with their own generator make
    /// their own).
    ///
    /// # Errors
    /// As [`Transaction::new`]; [`ConfigError::Forbidden`]`(CodeVerifier)` for a
    /// configuration whose response type is not `code`; [`ConfigError::Invalid`] for a
    /// verifier over 64 characters (RFC 7636 allows 128; `begin` draws 43).
    ///
    /// ```
    /// use implicit_grant::*;
    /// let config = Config::builder(
    ///     Issuer::new("https://server.example.com"),
    ///     AuthorizationEndpoint::new("https://server.example.com/authorize"),
    ///     ClientId::new("s6BhdRkqt3"),
    ///     RedirectUri::new("https://client.example.org/cb"),
    /// )
    /// .response_type(ResponseType::Code)
    /// .scope(&["read"]) // OAuth only: no `openid`, no nonce
    /// .build()?;
    /// let verifier = CodeVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")?;
    /// let state = "nbV4dtB8_7jVOQ3ggcpwc7D5Y7wbRhSFG7Bea4wclpA";
    /// let t = Transaction::new_code(&config, state, None, verifier, UnixTime::from_secs(1311280970))?;
    /// assert!(!format!("{t:?}").contains("dBjft"));
    /// assert_eq!(Transaction::new(&config, state, None, UnixTime::from_secs(0)).err(), Some(ConfigError::Missing(Param::CodeVerifier)));
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    #[cfg(feature = "code")]
    #[cfg_attr(docsrs, doc(cfg(feature = "code")))]
    pub fn new_code(
        config: &Config<'_>,
        state: &str,
        nonce: Option<&str>,
        verifier: crate::oauth::pkce::CodeVerifier<'_>,
        issued_at: UnixTime,
    ) -> Result<Self, ConfigError> {
        Self::make(
            config,
            state,
            nonce,
            Some(verifier.expose_secret()),
            issued_at,
        )
    }

    fn make(
        config: &Config<'_>,
        state: &str,
        nonce: Option<&str>,
        verifier: Option<&str>,
        issued_at: UnixTime,
    ) -> Result<Self, ConfigError> {
        let response_type = config.response_type();
        let nonce = match nonce {
            Some(n) => Some(Secret::new(n, Param::Nonce)?),
            None if config.request.wants_id_token() => {
                return Err(ConfigError::Missing(Param::Nonce));
            }
            None => None,
        };
        let verifier = match (verifier, is_code(response_type)) {
            (Some(v), true) => Some(Secret::new(v, Param::CodeVerifier)?),
            (None, true) => return Err(ConfigError::Missing(Param::CodeVerifier)),
            (Some(_), false) => return Err(ConfigError::Forbidden(Param::CodeVerifier)),
            (None, false) => None,
        };
        // A hint needs an ID token (`ConfigBuilder::build`), so a nonce.
        let user = match (config.hinted_user, &nonce) {
            (None, _) => None,
            (Some(user), Some(nonce)) => Some(salted(nonce, &user.id)),
            (Some(_), None) => return Err(ConfigError::Missing(Param::Nonce)),
        };
        Ok(Self {
            state: Secret::new(state, Param::State)?,
            nonce,
            response_type,
            response_mode: config.response_mode(),
            issued_at: UnixTime::from_secs(issued_at.as_secs()),
            max_age: config.max_age(),
            binding: binding(config),
            retry: Retry::None,
            user,
            verifier,
        })
    }

    /// The PKCE verifier of a `code` transaction.
    #[cfg(feature = "code")]
    pub(crate) fn expose_verifier(&self) -> Option<&str> {
        self.verifier.as_ref().map(Secret::as_str)
    }

    /// Whether the transaction was begun under `config`: the same issuer, endpoint,
    /// client id, redirect URI, response type and response mode; for `code`, with `openid`
    /// in the scope exactly when it has a `nonce` (an ID token is required exactly then).
    pub(crate) fn was_begun_under(&self, config: &Config<'_>) -> bool {
        self.binding == binding(config)
            && self.response_type == config.response_type()
            && self.response_mode == config.response_mode()
            && (!is_code(self.response_type)
                || config.request.wants_id_token() == self.nonce.is_some())
    }

    /// The same transaction, waiting for the host to refresh its keys before the token
    /// response with this SHA-256 (whose ID token named an unknown key) is verified once more.
    pub(crate) fn awaiting_key_for(mut self, response: [u8; HASH_LEN]) -> Self {
        self.retry = Retry::AwaitingKey(response);
        self
    }

    /// What a response is to this transaction; `digest` gives the SHA-256 of its tokens
    /// (`None` for a denial), and is called only for a retry.
    pub(crate) fn attempt(&self, digest: impl FnOnce() -> Option<[u8; HASH_LEN]>) -> Attempt {
        match self.retry {
            Retry::None => Attempt::First,
            Retry::AwaitingKey(awaited) => match digest() {
                Some(hash) if ct_eq(&hash, &awaited) => Attempt::Retry,
                _ => Attempt::OtherResponse,
            },
        }
    }

    /// Whether a verified ID token of `iss` and `sub` may complete this transaction: any,
    /// unless an `id_token_hint` named a user, and then that user only. Not inlined: its
    /// hashing stays out of the frame live during signature verification.
    #[inline(never)]
    pub(crate) fn admits_user(&self, iss: &str, sub: &str) -> bool {
        match (self.user, &self.nonce) {
            (None, _) => true,
            (Some(user), Some(nonce)) => ct_eq(&salted(nonce, &user_of(iss, sub)), &user),
            (Some(_), None) => false,
        }
    }

    /// The key to store the transaction under: derived from its `state`, so the response
    /// that carries this `state` finds it ([`TransactionKey::for_state`]).
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://server.example.com"), AuthorizationEndpoint::new("https://server.example.com/authorize"), ClientId::new("s6BhdRkqt3"), RedirectUri::new("https://client.example.org/cb")).build()?;
    /// let t = Transaction::new(
    ///     &config,
    ///     "nbV4dtB8_7jVOQ3ggcpwc7D5Y7wbRhSFG7Bea4wclpA",
    ///     Some("4ZbQ_LKBbcFdJNF5kmlOHUmwPu53A5zKF8H6M8u9uEw"),
    ///     UnixTime::from_secs(1311280970),
    /// )?;
    /// assert_eq!(t.key(), TransactionKey::for_state("nbV4dtB8_7jVOQ3ggcpwc7D5Y7wbRhSFG7Bea4wclpA"));
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    #[must_use]
    pub fn key(&self) -> TransactionKey {
        TransactionKey::for_state(self.state.as_str())
    }

    /// The `state` sent.
    ///
    /// # Security
    /// A CSRF token: do not log it.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://server.example.com"), AuthorizationEndpoint::new("https://server.example.com/authorize"), ClientId::new("s6BhdRkqt3"), RedirectUri::new("https://client.example.org/cb")).build()?;
    /// let t = Transaction::new(
    ///     &config,
    ///     "nbV4dtB8_7jVOQ3ggcpwc7D5Y7wbRhSFG7Bea4wclpA",
    ///     Some("4ZbQ_LKBbcFdJNF5kmlOHUmwPu53A5zKF8H6M8u9uEw"),
    ///     UnixTime::from_secs(1311280970),
    /// )?;
    /// assert_eq!(t.expose_state(), "nbV4dtB8_7jVOQ3ggcpwc7D5Y7wbRhSFG7Bea4wclpA");
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    #[must_use]
    pub fn expose_state(&self) -> &str {
        self.state.as_str()
    }

    /// The `nonce` sent, if any.
    ///
    /// # Security
    /// Binds the ID token to this session: do not log it.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://server.example.com"), AuthorizationEndpoint::new("https://server.example.com/authorize"), ClientId::new("s6BhdRkqt3"), RedirectUri::new("https://client.example.org/cb")).build()?;
    /// let t = Transaction::new(
    ///     &config,
    ///     "nbV4dtB8_7jVOQ3ggcpwc7D5Y7wbRhSFG7Bea4wclpA",
    ///     Some("4ZbQ_LKBbcFdJNF5kmlOHUmwPu53A5zKF8H6M8u9uEw"),
    ///     UnixTime::from_secs(1311280970),
    /// )?;
    /// assert_eq!(t.expose_nonce(), Some("4ZbQ_LKBbcFdJNF5kmlOHUmwPu53A5zKF8H6M8u9uEw"));
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    #[must_use]
    pub fn expose_nonce(&self) -> Option<&str> {
        self.nonce.as_ref().map(Secret::as_str)
    }

    /// The `response_type` sent.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// let config = Config::builder(
    ///     Issuer::new("https://server.example.com"),
    ///     AuthorizationEndpoint::new("https://server.example.com/authorize"),
    ///     ClientId::new("s6BhdRkqt3"),
    ///     RedirectUri::new("https://client.example.org/cb"),
    /// )
    /// .response_type(ResponseType::Token)
    /// .build()?;
    /// // `token` alone: no nonce.
    /// let t = Transaction::new(&config, "nbV4dtB8_7jVOQ3ggcpwc7D5Y7wbRhSFG7Bea4wclpA", None, UnixTime::from_secs(1311280970))?;
    /// assert_eq!(t.response_type(), ResponseType::Token);
    /// assert_eq!(t.expose_nonce(), None);
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    #[must_use]
    pub const fn response_type(&self) -> ResponseType {
        self.response_type
    }

    /// The `response_mode` sent.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// let config = Config::builder(
    ///     Issuer::new("https://server.example.com"),
    ///     AuthorizationEndpoint::new("https://server.example.com/authorize"),
    ///     ClientId::new("s6BhdRkqt3"),
    ///     RedirectUri::new("https://client.example.org/cb"),
    /// )
    /// .response_mode(ResponseMode::FormPost)
    /// .build()?;
    /// let t = Transaction::new(
    ///     &config,
    ///     "nbV4dtB8_7jVOQ3ggcpwc7D5Y7wbRhSFG7Bea4wclpA",
    ///     Some("4ZbQ_LKBbcFdJNF5kmlOHUmwPu53A5zKF8H6M8u9uEw"),
    ///     UnixTime::from_secs(1311280970),
    /// )?;
    /// assert_eq!(t.response_mode(), ResponseMode::FormPost);
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    #[must_use]
    pub const fn response_mode(&self) -> ResponseMode {
        self.response_mode
    }

    /// When the request was made: what a store is handed to prune old records with.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://server.example.com"), AuthorizationEndpoint::new("https://server.example.com/authorize"), ClientId::new("s6BhdRkqt3"), RedirectUri::new("https://client.example.org/cb")).build()?;
    /// let t = Transaction::new(
    ///     &config,
    ///     "nbV4dtB8_7jVOQ3ggcpwc7D5Y7wbRhSFG7Bea4wclpA",
    ///     Some("4ZbQ_LKBbcFdJNF5kmlOHUmwPu53A5zKF8H6M8u9uEw"),
    ///     UnixTime::from_secs(1311280970),
    /// )?;
    /// assert_eq!(t.issued_at(), UnixTime::from_secs(1311280970));
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    #[must_use]
    pub const fn issued_at(&self) -> UnixTime {
        self.issued_at
    }

    /// The `max_age` sent, if any.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// use core::time::Duration;
    /// let config = Config::builder(
    ///     Issuer::new("https://server.example.com"),
    ///     AuthorizationEndpoint::new("https://server.example.com/authorize"),
    ///     ClientId::new("s6BhdRkqt3"),
    ///     RedirectUri::new("https://client.example.org/cb"),
    /// )
    /// .max_age(Duration::from_secs(3600))
    /// .build()?;
    /// let t = Transaction::new(
    ///     &config,
    ///     "nbV4dtB8_7jVOQ3ggcpwc7D5Y7wbRhSFG7Bea4wclpA",
    ///     Some("4ZbQ_LKBbcFdJNF5kmlOHUmwPu53A5zKF8H6M8u9uEw"),
    ///     UnixTime::from_secs(1311280970),
    /// )?;
    /// assert_eq!(t.max_age(), Some(Duration::from_secs(3600)));
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    #[must_use]
    pub const fn max_age(&self) -> Option<Duration> {
        self.max_age
    }

    /// Serializes into a fixed-size record (the layout is in this module's docs).
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://server.example.com"), AuthorizationEndpoint::new("https://server.example.com/authorize"), ClientId::new("s6BhdRkqt3"), RedirectUri::new("https://client.example.org/cb")).build()?;
    /// let t = Transaction::new(
    ///     &config,
    ///     "nbV4dtB8_7jVOQ3ggcpwc7D5Y7wbRhSFG7Bea4wclpA",
    ///     Some("4ZbQ_LKBbcFdJNF5kmlOHUmwPu53A5zKF8H6M8u9uEw"),
    ///     UnixTime::from_secs(1311280970),
    /// )?;
    /// let record = t.to_record();
    /// assert_eq!(record.expose_secret().len(), implicit_grant::limits::RECORD_LEN);
    /// assert_eq!(Transaction::from_record(&record)?.expose_state(), t.expose_state());
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    #[must_use]
    pub fn to_record(&self) -> Record {
        let mut out = [0u8; RECORD_LEN];
        let nonce = self.nonce.as_ref();
        let awaiting = match self.retry {
            Retry::None => None,
            Retry::AwaitingKey(hash) => Some(hash),
        };
        let verifier = self.verifier.as_ref();
        let fields: [&[u8]; 15] = [
            &[
                VERSION,
                response_type_code(self.response_type),
                response_mode_code(self.response_mode),
            ],
            &[self.state.len],
            &self.state.buf,
            &[nonce.map_or(0, |n| n.len)],
            nonce.map_or(&[0u8; MAX_SECRET_LEN], |n| &n.buf),
            &self.issued_at.as_secs().to_le_bytes(),
            &[u8::from(self.max_age.is_some())],
            &self.max_age.map_or(0, |d| d.as_secs()).to_le_bytes(),
            &self.binding,
            &[u8::from(awaiting.is_some())],
            &awaiting.unwrap_or([0; HASH_LEN]),
            &[u8::from(self.user.is_some())],
            &self.user.unwrap_or([0; USER_LEN]),
            &[verifier.map_or(0, |v| v.len)],
            verifier.map_or(&[0u8; MAX_SECRET_LEN], |v| &v.buf),
        ];
        let mut dst = out.iter_mut();
        for &byte in fields.iter().flat_map(|f| f.iter()) {
            if let Some(d) = dst.next() {
                *d = byte;
            }
        }
        Record(out)
    }

    /// Reads a record back.
    ///
    /// # Errors
    /// [`FlowError::CorruptTransaction`] for a record this crate did not write.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://server.example.com"), AuthorizationEndpoint::new("https://server.example.com/authorize"), ClientId::new("s6BhdRkqt3"), RedirectUri::new("https://client.example.org/cb")).build()?;
    /// let t = Transaction::new(
    ///     &config,
    ///     "nbV4dtB8_7jVOQ3ggcpwc7D5Y7wbRhSFG7Bea4wclpA",
    ///     Some("4ZbQ_LKBbcFdJNF5kmlOHUmwPu53A5zKF8H6M8u9uEw"),
    ///     UnixTime::from_secs(1311280970),
    /// )?;
    /// let back = Transaction::from_record(&t.to_record())?;
    /// assert_eq!((back.key(), back.issued_at()), (t.key(), t.issued_at()));
    /// let zeros = Record::from_bytes([0; limits::RECORD_LEN]);
    /// assert_eq!(Transaction::from_record(&zeros).err(), Some(FlowError::CorruptTransaction));
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    pub fn from_record(record: &Record) -> Result<Self, FlowError> {
        let corrupt = FlowError::CorruptTransaction;
        let mut r = Reader(&record.0);
        let [version, rt, mode] = r.array::<3>()?;
        if version != VERSION {
            return Err(corrupt);
        }
        let response_type = match rt {
            0 => ResponseType::Token,
            1 => ResponseType::IdToken,
            2 => ResponseType::IdTokenToken,
            #[cfg(feature = "code")]
            3 => ResponseType::Code,
            _ => return Err(corrupt),
        };
        let response_mode = match mode {
            0 => ResponseMode::Fragment,
            1 => ResponseMode::FormPost,
            #[cfg(feature = "code")]
            2 => ResponseMode::Query,
            _ => return Err(corrupt),
        };
        let state = r.secret(Param::State)?.ok_or(corrupt)?;
        let nonce = r.secret(Param::Nonce)?;
        let issued_at = UnixTime::from_secs(u64::from_le_bytes(r.array()?));
        let max_age = r
            .optional::<8>()?
            .map(|secs| Duration::from_secs(u64::from_le_bytes(secs)));
        let binding = r.array()?;
        let retry = match r.optional()? {
            None => Retry::None,
            Some(hash) => Retry::AwaitingKey(hash),
        };
        let user = r.optional()?;
        let verifier = r.secret(Param::CodeVerifier)?;
        // An ID token comes for the implicit types that ask for one, and for `code` when a
        // nonce was sent (with `openid`); a user is checked in it. A record naming a user
        // without one, or an ID token without its nonce, was not written here; nor one
        // whose verifier is there for anything but `code`.
        let id_token = response_type.has_id_token() || is_code(response_type) && nonce.is_some();
        if response_type.has_id_token() && nonce.is_none()
            || user.is_some() && !id_token
            || verifier.is_some() != is_code(response_type)
        {
            return Err(corrupt);
        }
        Ok(Self {
            state,
            nonce,
            response_type,
            response_mode,
            issued_at,
            max_age,
            binding,
            retry,
            user,
            verifier,
        })
    }
}

/// Whether `response_type` is `code`.
const fn is_code(response_type: ResponseType) -> bool {
    #[cfg(feature = "code")]
    return matches!(response_type, ResponseType::Code);
    #[cfg(not(feature = "code"))]
    {
        let _ = response_type;
        false
    }
}

struct Reader<'r>(&'r [u8]);

impl Reader<'_> {
    /// A flag byte, then `N` bytes: 1 and the value, or 0 and zeros.
    fn optional<const N: usize>(&mut self) -> Result<Option<[u8; N]>, FlowError> {
        let [flag] = self.array()?;
        let value = self.array::<N>()?;
        match flag {
            1 => Ok(Some(value)),
            0 if value.iter().all(|&b| b == 0) => Ok(None),
            _ => Err(FlowError::CorruptTransaction),
        }
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], FlowError> {
        let (head, tail) = self
            .0
            .split_first_chunk::<N>()
            .ok_or(FlowError::CorruptTransaction)?;
        self.0 = tail;
        Ok(*head)
    }

    /// A length byte, then the value zero-padded to [`MAX_SECRET_LEN`]; length 0 for none.
    fn secret(&mut self, param: Param) -> Result<Option<Secret>, FlowError> {
        let [len] = self.array()?;
        let mut buf = self.array::<MAX_SECRET_LEN>()?;
        let (value, padding) = buf.split_at_checked(usize::from(len)).unzip();
        let secret = match (len, value.map(core::str::from_utf8)) {
            _ if !padding.is_some_and(|p| p.iter().all(|&b| b == 0)) => {
                Err(FlowError::CorruptTransaction)
            }
            (0, _) => Ok(None),
            (_, Some(Ok(v))) => Secret::new(v, param)
                .map(Some)
                .map_err(|_| FlowError::CorruptTransaction),
            (_, _) => Err(FlowError::CorruptTransaction),
        };
        buf.zeroize();
        secret
    }
}

/// The user hash salted with this transaction's `nonce`.
fn salted(nonce: &Secret, user: &[u8; USER_LEN]) -> [u8; USER_LEN] {
    sha256_parts(&[
        b"implicit-grant hinted user v1",
        nonce.as_str().as_bytes(),
        user,
    ])
}

/// The hash of what identifies the authorization server and this client's request to it.
fn binding(config: &Config<'_>) -> [u8; BINDING_LEN] {
    sha256_parts(&[
        config.issuer().as_str().as_bytes(),
        config.authorization_endpoint().as_str().as_bytes(),
        config.client_id().as_str().as_bytes(),
        config.redirect_uri().as_str().as_bytes(),
    ])
}

const fn response_type_code(t: ResponseType) -> u8 {
    match t {
        ResponseType::Token => 0,
        ResponseType::IdToken => 1,
        ResponseType::IdTokenToken => 2,
        #[cfg(feature = "code")]
        ResponseType::Code => 3,
    }
}

const fn response_mode_code(m: ResponseMode) -> u8 {
    match m {
        ResponseMode::Fragment => 0,
        ResponseMode::FormPost => 1,
        #[cfg(feature = "code")]
        ResponseMode::Query => 2,
    }
}

impl fmt::Debug for Transaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transaction")
            .field("state", &Redacted)
            .field("nonce", &redacted(self.nonce.as_ref()))
            .field("response_type", &self.response_type)
            .field("response_mode", &self.response_mode)
            .field("issued_at", &self.issued_at)
            .field("max_age", &self.max_age)
            .field("code_verifier", &redacted(self.verifier.as_ref()))
            .finish()
    }
}

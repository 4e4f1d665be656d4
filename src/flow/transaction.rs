//! The pending transaction: what `begin` sent and `complete` must find again.

use core::fmt;

use zeroize::Zeroize;

use crate::codec::digest::sha256_parts;
use crate::error::{ConfigError, FlowError, Param};
use crate::flow::Config;
use crate::host::{Record, TransactionKey};
use crate::limits::{MAX_SECRET_LEN, MIN_SECRET_LEN, RECORD_LEN};
use crate::oauth::authorize::{ResponseMode, ResponseType};
use crate::oauth::syntax;
use crate::secret::{Redacted, redacted};

const VERSION: u8 = 2;

// The record layout of `Transaction::to_record` fills `RECORD_LEN` exactly.
const _: () =
    assert!(RECORD_LEN == 3 + (1 + MAX_SECRET_LEN) * 2 + 8 + 1 + 8 + BINDING_LEN + 1 + HASH_LEN);

/// Length of the hash that binds a transaction to the configuration that began it.
const BINDING_LEN: usize = 32;
/// Length of the hash of an ID token awaiting a key refresh.
const HASH_LEN: usize = 32;

/// Where `issued_at` sits in a record (after the version, response type and mode bytes and
/// the two length-prefixed secrets).
const ISSUED_AT_AT: usize = 3 + (1 + MAX_SECRET_LEN) * 2;

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
            return Err(ConfigError::InvalidParameter(param));
        }
        let mut buf = [0u8; MAX_SECRET_LEN];
        buf.get_mut(..value.len())
            .ok_or(ConfigError::InvalidParameter(param))?
            .copy_from_slice(value.as_bytes());
        let len = u8::try_from(value.len()).map_err(|_| ConfigError::InvalidParameter(param))?;
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
/// It holds `state` and `nonce`: `Debug` redacts them and they are wiped on drop.
///
/// ```
/// use implicit_grant::{ResponseType, Transaction};
/// let t = Transaction::new(
///     "nbV4dtB8_7jVOQ3ggcpwc7D5Y7wbRhSFG7Bea4wclpA",
///     Some("4ZbQ_LKBbcFdJNF5kmlOHUmwPu53A5zKF8H6M8u9uEw"),
///     ResponseType::IdTokenToken,
///     1311280970,
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
    issued_at: u64,
    max_age: Option<u64>,
    binding: [u8; BINDING_LEN],
    /// SHA-256 of the ID token that named a key the verifier lacked: the one retry
    /// `complete` allows after the host refreshed its keys.
    awaiting_key: Option<[u8; HASH_LEN]>,
}

impl Transaction {
    /// A transaction for caller-made `state` and `nonce` (tests, or hosts with their own
    /// generator; `begin` draws them from [`crate::Random`]). Bind it with
    /// [`bound_to`](Self::bound_to) before storing it: `complete` refuses an unbound one.
    ///
    /// # Errors
    /// [`ConfigError::Weak`] for a `state` or `nonce` under 22 characters;
    /// [`ConfigError::InvalidParameter`] for one over 64 characters or outside `VSCHAR`;
    /// [`ConfigError::MissingParameter`]`(Nonce)` when the response type has an ID token and
    /// no nonce is given.
    pub fn new(
        state: &str,
        nonce: Option<&str>,
        response_type: ResponseType,
        issued_at: u64,
    ) -> Result<Self, ConfigError> {
        let nonce = match nonce {
            Some(n) => Some(Secret::new(n, Param::Nonce)?),
            None if response_type.has_id_token() => {
                return Err(ConfigError::MissingParameter(Param::Nonce));
            }
            None => None,
        };
        Ok(Self {
            state: Secret::new(state, Param::State)?,
            nonce,
            response_type,
            response_mode: ResponseMode::Fragment,
            issued_at,
            max_age: None,
            binding: [0; BINDING_LEN],
            awaiting_key: None,
        })
    }

    /// Binds the transaction to `config`'s issuer, client, endpoint and redirect URI
    /// (RFC 9700 §4.4.2: the client stores, per request, the issuer it sent the request to).
    /// `complete` refuses it under another configuration; `begin` always binds.
    #[must_use]
    pub fn bound_to(mut self, config: &Config<'_>) -> Self {
        self.binding = binding(config);
        self
    }

    /// Whether the transaction was bound to `config` (see [`Transaction::bound_to`]).
    #[must_use]
    pub fn is_bound_to(&self, config: &Config<'_>) -> bool {
        self.binding == binding(config)
    }

    /// Records the `response_mode` sent.
    #[must_use]
    pub const fn with_response_mode(mut self, mode: ResponseMode) -> Self {
        self.response_mode = mode;
        self
    }

    /// Records the `max_age` sent (the ID token must then carry `auth_time`).
    #[must_use]
    pub const fn with_max_age(mut self, max_age: Option<u64>) -> Self {
        self.max_age = max_age;
        self
    }

    /// The same transaction, waiting for the host to refresh its keys before `id_token`
    /// (which named an unknown key) is verified once more.
    pub(crate) fn awaiting_key_for(mut self, id_token: &str) -> Self {
        self.awaiting_key = Some(sha256_parts(&[id_token.as_bytes()]));
        self
    }

    /// Whether this transaction waits for a retry, and if so whether `id_token` is the one.
    pub(crate) fn retry_of(&self, id_token: Option<&str>) -> Option<bool> {
        self.awaiting_key.map(|hash| {
            id_token.is_some_and(|t| crate::ct::ct_eq(&sha256_parts(&[t.as_bytes()]), &hash))
        })
    }

    /// The key to store the transaction under: derived from its `state`, so the response
    /// that carries this `state` finds it ([`TransactionKey::for_state`]).
    #[must_use]
    pub fn key(&self) -> TransactionKey {
        TransactionKey::for_state(self.state.as_str())
    }

    /// The `state` sent.
    ///
    /// # Security
    /// A CSRF token: do not log it.
    #[must_use]
    pub fn expose_state(&self) -> &str {
        self.state.as_str()
    }

    /// The `nonce` sent, if any.
    ///
    /// # Security
    /// Binds the ID token to this session: do not log it.
    #[must_use]
    pub fn expose_nonce(&self) -> Option<&str> {
        self.nonce.as_ref().map(Secret::as_str)
    }

    /// The `response_type` sent.
    #[must_use]
    pub const fn response_type(&self) -> ResponseType {
        self.response_type
    }

    /// The `response_mode` sent.
    #[must_use]
    pub const fn response_mode(&self) -> ResponseMode {
        self.response_mode
    }

    /// When the request was made, in seconds since the Unix epoch.
    #[must_use]
    pub const fn issued_at(&self) -> u64 {
        self.issued_at
    }

    /// The `max_age` sent, if any.
    #[must_use]
    pub const fn max_age(&self) -> Option<u64> {
        self.max_age
    }

    /// Serializes into a fixed-size record:
    /// `version | response_type | response_mode | state_len | state[64] | nonce_len | nonce[64]
    /// | issued_at (u64 LE) | has_max_age | max_age (u64 LE) | binding[32]`.
    #[must_use]
    pub fn to_record(&self) -> Record {
        let mut out = [0u8; RECORD_LEN];
        let nonce = self.nonce.as_ref();
        let fields: [&[u8]; 11] = [
            &[
                VERSION,
                response_type_code(self.response_type),
                response_mode_code(self.response_mode),
            ],
            &[self.state.len],
            &self.state.buf,
            &[nonce.map_or(0, |n| n.len)],
            nonce.map_or(&[0u8; MAX_SECRET_LEN], |n| &n.buf),
            &self.issued_at.to_le_bytes(),
            &[u8::from(self.max_age.is_some())],
            &self.max_age.unwrap_or(0).to_le_bytes(),
            &self.binding,
            &[u8::from(self.awaiting_key.is_some())],
            &self.awaiting_key.unwrap_or([0; HASH_LEN]),
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
            _ => return Err(corrupt),
        };
        let response_mode = match mode {
            0 => ResponseMode::Fragment,
            1 => ResponseMode::FormPost,
            _ => return Err(corrupt),
        };
        let state = r.secret(Param::State)?.ok_or(corrupt)?;
        let nonce = r.secret(Param::Nonce)?;
        let issued_at = u64::from_le_bytes(r.array()?);
        let [has_max_age] = r.array()?;
        let max_age = u64::from_le_bytes(r.array()?);
        let max_age = match has_max_age {
            0 => None,
            1 => Some(max_age),
            _ => return Err(corrupt),
        };
        let binding = r.array()?;
        let [awaiting] = r.array()?;
        let hash = r.array()?;
        let awaiting_key = match awaiting {
            0 => None,
            1 => Some(hash),
            _ => return Err(corrupt),
        };
        if response_type.has_id_token() && nonce.is_none() {
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
            awaiting_key,
        })
    }
}

impl Record {
    /// When the transaction was begun, in seconds since the Unix epoch: what a store needs
    /// to prune old records (the flow refuses one older than the configured lifetime).
    /// Meaningless for bytes this crate did not write.
    ///
    /// ```
    /// use implicit_grant::{ResponseType, Transaction};
    /// let t = Transaction::new("af0ifjsldkj-af0ifjsldkj", None, ResponseType::Token, 1311280970)?;
    /// assert_eq!(t.to_record().issued_at(), 1311280970);
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    #[must_use]
    pub fn issued_at(&self) -> u64 {
        let bytes = self.0.get(ISSUED_AT_AT..).unwrap_or_default();
        bytes
            .first_chunk::<8>()
            .map_or(0, |b| u64::from_le_bytes(*b))
    }
}

struct Reader<'r>(&'r [u8]);

impl Reader<'_> {
    fn array<const N: usize>(&mut self) -> Result<[u8; N], FlowError> {
        let (head, tail) = self
            .0
            .split_first_chunk::<N>()
            .ok_or(FlowError::CorruptTransaction)?;
        self.0 = tail;
        Ok(*head)
    }

    fn secret(&mut self, param: Param) -> Result<Option<Secret>, FlowError> {
        let [len] = self.array()?;
        let mut buf = self.array::<MAX_SECRET_LEN>()?;
        let value = buf
            .get(..usize::from(len))
            .and_then(|b| core::str::from_utf8(b).ok());
        let secret = match (len, value) {
            (0, _) => None,
            (_, Some(v)) => Some(Secret::new(v, param).map_err(|_| FlowError::CorruptTransaction)?),
            (_, None) => return Err(FlowError::CorruptTransaction),
        };
        buf.zeroize();
        Ok(secret)
    }
}

/// The hash of what identifies the authorization server and this client's request to it.
fn binding(config: &Config<'_>) -> [u8; BINDING_LEN] {
    sha256_parts(&[
        config.issuer.as_bytes(),
        config.authorization_endpoint.as_bytes(),
        config.client_id.as_bytes(),
        config.redirect_uri.as_bytes(),
    ])
}

const fn response_type_code(t: ResponseType) -> u8 {
    match t {
        ResponseType::Token => 0,
        ResponseType::IdToken => 1,
        ResponseType::IdTokenToken => 2,
    }
}

const fn response_mode_code(m: ResponseMode) -> u8 {
    match m {
        ResponseMode::Fragment => 0,
        ResponseMode::FormPost => 1,
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
            .finish()
    }
}

//! implicit-grant as a WebAssembly module: the whole flow (discovery, login, silent
//! renewal, logout; the implicit flow, and authorization code + PKCE with refresh) for a
//! host that gives it randomness, storage and the time, with every buffer in linear memory
//! and no allocator.
//!
//! The interface is versioned: [`ig_abi_version`] returns [`ABI_VERSION`], and `ABI.md`
//! documents version 3 in full (exports, imports, formats, error codes). `js/` holds a
//! typed JavaScript wrapper over it (`implicit-grant.mjs`, `implicit-grant.d.ts`), and the
//! npm package that ships both (`js/package.json`, built by `js/build.sh`).
//!
//! In short: the host writes inputs into the I/O buffer ([`ig_io`], [`IO_LEN`] bytes),
//! calls an export, and reads the output from the start of the same buffer. Exports return
//! the output length, or a negative error code (`-code`, see [`code`]); after an error, the
//! buffer starts with the error's text ([`ig_error_len`] bytes).
#![no_std]

#[cfg(feature = "code")]
mod code_flow;

use core::cell::UnsafeCell;

use core::time::Duration;
#[cfg(target_arch = "wasm32")]
use implicit_grant::limits::RECORD_LEN;
use implicit_grant::verify::Jwks;

#[cfg(feature = "renewal")]
use implicit_grant::IdTokenHint;
#[cfg(feature = "logout")]
use implicit_grant::LogoutRequest;
use implicit_grant::{
    Algorithm, AuthorizationEndpoint, ClientId, Config, ConfigError, Error, ErrorCode, FlowError,
    IssParameter, Issuer, Outcome, Param, Prompt, Random, RandomError, Record, RedirectUri,
    ResponseError, ResponseType, SelectionError, Session, StorageError, TransactionKey,
    TransactionStore, UnixTime, bearer_header, begin, complete,
};
#[cfg(feature = "discovery")]
use implicit_grant::{ConfigBuilder, ProviderMetadata};

/// The version of the interface `ABI.md` documents; bumped on any incompatible change.
pub const ABI_VERSION: i32 = 3;
/// Size of the I/O buffer: inputs take its first half; `ig_complete` decodes into the third
/// quarter and writes its output into the last (ABI.md, "Calling convention").
pub const IO_LEN: usize = 64 * 1024;
/// Most keys a provider's JWK Set may hold (Entra ID publishes up to about ten).
const JWKS_CAPACITY: usize = 12;
/// Room for the stored settings (the host's and those derived from the metadata).
const SETTINGS_LEN: usize = 4096;

/// State the single-threaded host and module share (buffers, the codes awaiting redemption).
struct Shared<T>(UnsafeCell<T>);

// SAFETY: wasm32 modules run on one thread, and no two views of a value are used at once.
unsafe impl<T> Sync for Shared<T> {}

static IO: Shared<[u8; IO_LEN]> = Shared(UnsafeCell::new([0; IO_LEN]));
static SETTINGS: Shared<[u8; SETTINGS_LEN]> = Shared(UnsafeCell::new([0; SETTINGS_LEN]));
static SETTINGS_USED: Shared<[u8; 2]> = Shared(UnsafeCell::new([0; 2]));
/// Length of the last error's text, at the start of the I/O buffer (two bytes, little-endian).
static ERROR_LEN: Shared<[u8; 2]> = Shared(UnsafeCell::new([0; 2]));

#[allow(clippy::mut_from_ref)] // the UnsafeCell hands out the one mutable view
fn buffer<T>(shared: &'static Shared<T>) -> &'static mut T {
    // SAFETY: one thread, and a view is dropped before the next one of the same value is used.
    unsafe { &mut *shared.0.get() }
}

#[cfg(target_arch = "wasm32")]
#[link(wasm_import_module = "host")]
unsafe extern "C" {
    fn random(ptr: *mut u8, len: usize) -> i32;
    fn save(key_ptr: *const u8, key_len: usize, ptr: *const u8, len: usize, issued_at: u64) -> i32;
    fn take(key_ptr: *const u8, key_len: usize, ptr: *mut u8, len: usize) -> i32;
}

/// Randomness from the host (`crypto.getRandomValues`).
struct HostRandom;

impl Random for HostRandom {
    fn fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), RandomError> {
        #[cfg(target_arch = "wasm32")]
        // SAFETY: the host writes exactly `len` bytes at `ptr`, inside `dest`.
        if unsafe { random(dest.as_mut_ptr(), dest.len()) } == 0 {
            return Ok(());
        }
        let _ = dest;
        Err(RandomError)
    }
}

/// Pending transactions in the host's storage, one item per key.
struct HostStore;

impl TransactionStore for HostStore {
    fn save(
        &mut self,
        key: &TransactionKey,
        record: &Record,
        issued_at: UnixTime,
    ) -> Result<(), StorageError> {
        #[cfg(target_arch = "wasm32")]
        {
            let (key, bytes) = (key.as_str(), record.expose_secret());
            // SAFETY: both buffers are valid for their lengths during the call.
            let saved = unsafe {
                save(
                    key.as_ptr(),
                    key.len(),
                    bytes.as_ptr(),
                    bytes.len(),
                    issued_at.as_secs(),
                )
            };
            if saved == 0 {
                return Ok(());
            }
        }
        let _ = (key, record, issued_at);
        Err(StorageError)
    }

    fn take(&mut self, key: &TransactionKey) -> Result<Option<Record>, StorageError> {
        #[cfg(target_arch = "wasm32")]
        {
            let key = key.as_str();
            let mut bytes = [0u8; RECORD_LEN];
            // SAFETY: the host writes at most `RECORD_LEN` bytes into `bytes`.
            let taken = unsafe { take(key.as_ptr(), key.len(), bytes.as_mut_ptr(), bytes.len()) };
            return match taken {
                1 => Ok(Some(Record::from_bytes(bytes))),
                0 => Ok(None),
                _ => Err(StorageError),
            };
        }
        #[allow(unreachable_code)]
        {
            let _ = key;
            Err(StorageError)
        }
    }
}

/// The error codes of the exports (negated in their return value).
pub mod code {
    /// An output or input does not fit the I/O buffer.
    pub const BUFFER: i32 = 1;
    /// The settings or a request parameter break a rule, or no settings were given.
    pub const CONFIG: i32 = 2;
    /// The redirect response is malformed.
    pub const RESPONSE: i32 = 3;
    /// The ID token is not a valid JWS, or its signature does not verify.
    pub const JWT: i32 = 4;
    /// An ID token claim fails validation.
    pub const CLAIMS: i32 = 5;
    /// No pending transaction for the response's `state` (replay, stray response).
    pub const NO_TRANSACTION: i32 = 6;
    /// The response's `state` is missing or differs from the stored one.
    pub const STATE: i32 = 7;
    /// Another flow failure (random source, storage, expired or foreign transaction).
    pub const FLOW: i32 = 8;
    /// The JWK Set cannot be used.
    pub const KEYS: i32 = 9;
    /// The ID token names a key the JWK Set does not hold, after a refetch.
    pub const UNKNOWN_KEY: i32 = 10;
    /// The provider metadata cannot be used (issuer, URLs, response type, algorithms).
    pub const METADATA: i32 = 11;
    /// A silent renewal answered with a verified ID token for another user than the hint's.
    pub const USER: i32 = 12;
    /// This build of the module leaves out what the call needs (`discovery`, `code`).
    pub const UNAVAILABLE: i32 = 13;
    /// Four codes already await their token request: redeem or drop one first.
    pub const BUSY: i32 = 14;
}

/// What an export fails with: the crate's errors, or a part this build leaves out.
enum Fault {
    Crate(Error),
    /// The cargo feature this build lacks.
    #[cfg_attr(feature = "discovery", allow(dead_code))]
    Unavailable(&'static str),
    /// Every slot for a code awaiting its token request is taken.
    #[cfg_attr(not(feature = "code"), allow(dead_code))]
    Busy,
}

impl From<Error> for Fault {
    fn from(e: Error) -> Self {
        Self::Crate(e)
    }
}

impl core::fmt::Display for Fault {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Crate(e) => e.fmt(f),
            Self::Unavailable(feature) => write!(f, "this build of the module has no {feature}"),
            Self::Busy => f.write_str("four codes await their token request: redeem or drop one"),
        }
    }
}

fn error_code(fault: &Fault) -> i32 {
    let e = match fault {
        Fault::Crate(e) => e,
        Fault::Unavailable(_) => return -code::UNAVAILABLE,
        Fault::Busy => return -code::BUSY,
    };
    -match e {
        Error::BufferTooSmall { .. } | Error::Write => code::BUFFER,
        Error::Config(_) => code::CONFIG,
        Error::Response(_) => code::RESPONSE,
        Error::KeySelection(SelectionError::UnknownKey) => code::UNKNOWN_KEY,
        Error::Jwt(_) | Error::KeySelection(_) => code::JWT,
        Error::Claims(_) => code::CLAIMS,
        Error::Flow(FlowError::NoPendingTransaction) => code::NO_TRANSACTION,
        Error::Flow(FlowError::StateMismatch | FlowError::StateMissing) => code::STATE,
        Error::Flow(FlowError::UserMismatch) => code::USER,
        Error::Key(_) => code::KEYS,
        Error::Metadata(_) => code::METADATA,
        _ => code::FLOW,
    }
}

/// The export's return value; on error, the error's text goes to the start of the I/O
/// buffer ([`ig_error_len`]).
fn output<E: Into<Fault>>(result: Result<usize, E>) -> i32 {
    let error = match result {
        Ok(n) => match i32::try_from(n) {
            Ok(n) => {
                buffer(&ERROR_LEN).fill(0);
                return n;
            }
            Err(_) => Fault::Crate(Error::BufferTooSmall { required: n }),
        },
        Err(e) => e.into(),
    };
    let mut w = Writer {
        out: &mut buffer(&IO)[..],
        len: 0,
    };
    // The texts are short (under 200 bytes): the buffer always holds one.
    let _ = core::fmt::Write::write_fmt(&mut w, format_args!("{error}"));
    let len = u16::try_from(w.len).unwrap_or(0);
    buffer(&ERROR_LEN).copy_from_slice(&len.to_le_bytes());
    error_code(&error)
}

const fn config_error(param: Param) -> Error {
    Error::Config(ConfigError::Invalid(param))
}

/// The interface version, [`ABI_VERSION`].
#[unsafe(no_mangle)]
pub extern "C" fn ig_abi_version() -> i32 {
    ABI_VERSION
}

/// The I/O buffer's address in linear memory.
#[unsafe(no_mangle)]
pub extern "C" fn ig_io() -> *mut u8 {
    buffer(&IO).as_mut_ptr()
}

/// The I/O buffer's length, [`IO_LEN`].
#[unsafe(no_mangle)]
pub extern "C" fn ig_io_len() -> i32 {
    IO_LEN as i32
}

/// The length of the text of the last call's error (the crate's `Display`: which
/// parameter, member or claim, and by how much), written at the start of the I/O buffer by
/// the call that failed; 0 after a call that succeeded. The text never holds a value
/// (no token, `state` or claim).
#[unsafe(no_mangle)]
pub extern "C" fn ig_error_len() -> i32 {
    i32::from(u16::from_le_bytes(*buffer(&ERROR_LEN)))
}

/// Stores the settings (`settings_len` bytes at the start of the I/O buffer) and, when
/// `metadata_len` is not 0, configures the provider from its metadata document, which
/// follows them (OIDC Discovery 1.0; its `issuer` must be the settings' `issuer`).
/// Returns 0, or a negative error code; on error the previous settings are dropped.
#[unsafe(no_mangle)]
pub extern "C" fn ig_configure(settings_len: usize, metadata_len: usize) -> i32 {
    buffer(&SETTINGS_USED).fill(0);
    match configure(settings_len, metadata_len) {
        Ok(len) => {
            let used = buffer(&SETTINGS_USED);
            // SETTINGS_LEN fits in two bytes.
            used.copy_from_slice(&(len as u16).to_le_bytes());
            output::<Fault>(Ok(0))
        }
        Err(e) => output::<Fault>(Err(e)),
    }
}

fn configure(settings_len: usize, metadata_len: usize) -> Result<usize, Fault> {
    let io = buffer(&IO);
    let (input, scratch) = io.split_at_mut(IO_LEN / 2);
    let end = settings_len.checked_add(metadata_len).ok_or(Error::Write)?;
    let input = input
        .get(..end)
        .ok_or(Error::BufferTooSmall { required: end })?;
    let input = core::str::from_utf8(input).map_err(|_| config_error(Param::Extra))?;
    let (text, metadata) = input.split_at_checked(settings_len).ok_or(Error::Write)?;
    let settings = Settings::parse(text)?;
    if settings.pkce_assumed && metadata.is_empty() {
        // It speaks of the metadata: without one there is nothing it could change.
        return Err(config_error(Param::CodeChallengeMethod).into());
    }
    let stored = buffer(&SETTINGS);
    let mut w = Writer {
        out: stored,
        len: 0,
    };
    w.push(text)?;
    if !metadata.is_empty() {
        discover(&settings, metadata, scratch, &mut w)?;
    }
    let len = w.len;
    // What is stored must read back as settings, and a code flow must know where to POST.
    let stored = core::str::from_utf8(buffer(&SETTINGS).get(..len).unwrap_or_default())
        .map_err(|_| Error::Write)?;
    with_config(stored, |_| Ok(()))?;
    let settings = Settings::parse(stored)?;
    if is_code(settings.response_type) && settings.token_endpoint.is_none() {
        return Err(Error::Config(ConfigError::Missing(Param::TokenEndpoint)).into());
    }
    Ok(len)
}

/// Adds to the stored settings what the provider's metadata says.
#[cfg(feature = "discovery")]
fn discover(
    settings: &Settings<'_>,
    metadata: &str,
    scratch: &mut [u8],
    w: &mut Writer<'_>,
) -> Result<(), Fault> {
    if settings.authorization_endpoint.is_some()
        || settings.end_session_endpoint.is_some()
        || settings.token_endpoint.is_some()
        || !settings.algorithms.is_empty()
        || settings.iss.is_some()
    {
        // The metadata names these: the settings may not say otherwise.
        return Err(config_error(Param::Extra).into());
    }
    let metadata = ProviderMetadata::parse(metadata, settings.issuer, scratch)?;
    // The host knows the provider enforces PKCE though its metadata does not list it.
    let metadata = if settings.pkce_assumed {
        metadata.assume_pkce_s256()
    } else {
        metadata
    };
    let config = ConfigBuilder::from_metadata_for(
        &metadata,
        settings.response_type,
        ClientId::new(settings.client_id),
        RedirectUri::new(settings.redirect_uri),
    )
    .map_err(Error::from)?
    .build()
    .map_err(Error::from)?;
    w.push("\nauthorization_endpoint=")?;
    w.push(metadata.authorization_endpoint())?;
    if let Some(logout) = metadata.end_session_endpoint() {
        w.push("\nend_session_endpoint=")?;
        w.push(logout)?;
    }
    #[cfg(feature = "code")]
    if let Some(token) = config.token_endpoint() {
        w.push("\ntoken_endpoint=")?;
        w.push(token)?;
    }
    w.push("\nalgorithms=")?;
    for (i, alg) in config.algorithms().iter().enumerate() {
        w.push(if i == 0 { "" } else { " " })?;
        w.push(alg.as_str())?;
    }
    w.push(match config.iss_parameter() {
        IssParameter::Supported => "\niss=supported",
        IssParameter::Tolerated => "\niss=tolerated",
        _ => "",
    })?;
    // The metadata admitted a loopback `http` issuer (a development provider).
    if !settings.loopback_given && config.allow_loopback_http() {
        w.push("\nloopback=true")?;
    }
    Ok(())
}

/// A build without discovery takes no metadata: the settings name the endpoint.
#[cfg(not(feature = "discovery"))]
fn discover(_: &Settings<'_>, _: &str, _: &mut [u8], _: &mut Writer<'_>) -> Result<(), Fault> {
    Err(Fault::Unavailable("discovery"))
}

/// The stored settings.
fn stored_settings() -> Result<&'static str, Error> {
    let used = buffer(&SETTINGS_USED);
    let len = usize::from(u16::from_le_bytes(*used));
    if len == 0 {
        return Err(Error::Config(ConfigError::Missing(Param::Endpoint)));
    }
    let text = buffer(&SETTINGS).get(..len).ok_or(Error::Write)?;
    core::str::from_utf8(text).map_err(|_| Error::Write)
}

/// Writes the authorize URL into the I/O buffer and saves the transaction.
#[unsafe(no_mangle)]
pub extern "C" fn ig_begin(now: u64) -> i32 {
    output(stored_settings().and_then(|text| {
        with_config(text, |config| {
            let now = UnixTime::from_secs(now);
            begin(
                config,
                &mut HostRandom,
                &mut HostStore,
                now,
                &mut buffer(&IO)[..],
            )
            .map(str::len)
        })
    }))
}

#[cfg(feature = "renewal")]
/// Writes the authorize URL of a silent renewal (`prompt=none`, with the ID token at the
/// start of the I/O buffer, `id_token_len` bytes, as `id_token_hint`) and saves the
/// transaction.
#[unsafe(no_mangle)]
pub extern "C" fn ig_begin_silent(id_token_len: usize, now: u64) -> i32 {
    output(stored_settings().and_then(|text| {
        let (input, rest) = buffer(&IO).split_at_mut(IO_LEN / 2);
        let (scratch, out) = rest.split_at_mut(IO_LEN / 4);
        let [hint] = inputs(input, [id_token_len], config_error(Param::IdTokenHint))?;
        // The renewal is for this user only: `ig_complete` refuses another (code 12).
        let hint = IdTokenHint::read(hint, scratch)?;
        let len = with_config(text, |config| {
            begin(
                &config.silent(hint)?,
                &mut HostRandom,
                &mut HostStore,
                UnixTime::from_secs(now),
                out,
            )
            .map(str::len)
        })?;
        copy_to_start(input, out, len)
    }))
}

/// Completes the login from `location.hash` and the JWK Set in the I/O buffer
/// (`hash_len` then `jwks_len` bytes). The output, one item per line:
/// `authorized`, the access token (empty without one; [`ig_bearer`] writes its header),
/// `sub`,
/// when to renew (Unix seconds; empty when unknown), the ID token; or `denied`, the
/// provider's `error`, and `interaction` when it needs the user (else empty); or
/// `keys_outdated` (fetch the JWK Set again, bypassing caches, and call once more).
#[unsafe(no_mangle)]
pub extern "C" fn ig_complete(hash_len: usize, jwks_len: usize, now: u64) -> i32 {
    output(stored_settings().and_then(|text| {
        let (input, rest) = buffer(&IO).split_at_mut(IO_LEN / 2);
        let (scratch, out) = rest.split_at_mut(IO_LEN / 4);
        let invalid = Error::Response(ResponseError::InvalidUtf8);
        let [hash, jwks] = inputs(input, [hash_len, jwks_len], invalid)?;
        // The output holds at most both tokens (decoded, so no longer than the fragment),
        // `sub` (shorter than the ID token) and a few words: checked before `complete` takes
        // the transaction, so a login is never consumed for want of room.
        let needed = hash_len.saturating_mul(2).saturating_add(64);
        if needed > out.len() {
            return Err(Error::BufferTooSmall { required: needed });
        }
        let keys = Jwks::<JWKS_CAPACITY>::parse_with_capacity(jwks)?;
        let margin = Settings::parse(text)?.renew_margin;
        let mut w = Writer { out, len: 0 };
        with_config(text, |config| {
            let now = UnixTime::from_secs(now);
            match complete(config, hash, &mut HostStore, &keys, now, scratch)? {
                Outcome::Authorized(session) => write_session(&mut w, &session, margin),
                Outcome::Denied(denial) => {
                    let error = match denial.error {
                        ErrorCode::Other(code) => code.as_encoded(),
                        known => known.as_str().unwrap_or_default(),
                    };
                    write_denial(&mut w, error, denial.needs_interaction())
                }
                Outcome::KeysOutdated => w.push("keys_outdated"),
            }
        })?;
        let len = w.len;
        copy_to_start(input, w.out, len)
    }))
}

/// The lines of an authorized outcome (ABI.md): `authorized`, the access token as issued
/// (any VSCHAR, RFC 6749 App. A.12; its header is built by `ig_bearer` when it is used, so
/// that a token outside RFC 6750's b64token, or a long one, still ends the login as
/// authorized), `sub`, when to renew, the ID token.
fn write_session(w: &mut Writer<'_>, session: &Session<'_>, margin: u64) -> Result<(), Error> {
    w.push("authorized\n")?;
    w.push(session.access_token.map_or("", |t| t.expose_secret()))?;
    w.push("\n")?;
    w.push(session.claims.map_or("", |c| c.sub()))?;
    w.push("\n")?;
    if let Some(at) = session.renew_at(Duration::from_secs(margin)) {
        w.push(decimal(at.as_secs(), &mut [0; 20]))?;
    }
    w.push("\n")?;
    w.push(session.id_token.map_or("", |t| t.expose_secret()))
}

/// The lines of a denial: `denied`, the provider's `error` code, `interaction` when it asks
/// for an interactive login (else empty).
fn write_denial(w: &mut Writer<'_>, error: &str, interaction: bool) -> Result<(), Error> {
    w.push("denied\n")?;
    w.push(error)?;
    w.push(if interaction { "\ninteraction" } else { "\n" })
}

/// The inputs at the start of the I/O buffer, `lens` bytes each, one after the other, as
/// UTF-8 (`invalid` otherwise).
fn inputs<const N: usize>(
    input: &[u8],
    lens: [usize; N],
    invalid: Error,
) -> Result<[&str; N], Error> {
    let mut items = [""; N];
    let mut at = 0usize;
    for (item, len) in items.iter_mut().zip(lens) {
        let end = at.checked_add(len).ok_or(Error::Write)?;
        let bytes = input
            .get(at..end)
            .ok_or(Error::BufferTooSmall { required: end })?;
        *item = core::str::from_utf8(bytes).map_err(|_| invalid)?;
        at = end;
    }
    Ok(items)
}

/// Writes the `Authorization` header value for the access token at the start of the I/O
/// buffer (`len` bytes).
#[unsafe(no_mangle)]
pub extern "C" fn ig_bearer(len: usize) -> i32 {
    let (input, out) = buffer(&IO).split_at_mut(IO_LEN / 2);
    output(
        inputs(input, [len], Error::Response(ResponseError::InvalidUtf8))
            .and_then(|[token]| bearer_header(implicit_grant::AccessToken::new(token), out))
            .map(str::len)
            .and_then(|n| copy_to_start(input, out, n)),
    )
}

#[cfg(feature = "logout")]
/// Writes the logout URL (OIDC RP-Initiated Logout 1.0) for the provider's
/// `end_session_endpoint`: the I/O buffer holds the ID token (`id_token_hint`), the
/// `post_logout_redirect_uri` and the `state`, `id_token_len`, `redirect_len` and
/// `state_len` bytes (each may be empty); `client_id` comes from the settings.
#[unsafe(no_mangle)]
pub extern "C" fn ig_logout(id_token_len: usize, redirect_len: usize, state_len: usize) -> i32 {
    output(stored_settings().and_then(|text| {
        let settings = Settings::parse(text)?;
        let endpoint = settings
            .end_session_endpoint
            .ok_or(Error::Config(ConfigError::Missing(Param::LogoutEndpoint)))?;
        let (input, out) = buffer(&IO).split_at_mut(IO_LEN / 2);
        let lens = [id_token_len, redirect_len, state_len];
        let [hint, redirect, state] = inputs(input, lens, config_error(Param::Extra))?;
        let len = LogoutRequest::new(endpoint)
            .id_token_hint(hint)
            .client_id(settings.client_id)
            .post_logout_redirect_uri(redirect)
            .state(state)
            .allow_loopback_http(settings.loopback)
            .write_into(out)?
            .len();
        copy_to_start(input, out, len)
    }))
}

/// Copies the first `len` bytes of `from` to the start of `to`; returns `len`.
fn copy_to_start(to: &mut [u8], from: &[u8], len: usize) -> Result<usize, Error> {
    let (dst, src) = to.get_mut(..len).zip(from.get(..len)).ok_or(Error::Write)?;
    dst.copy_from_slice(src);
    Ok(len)
}

struct Writer<'a> {
    out: &'a mut [u8],
    len: usize,
}

impl core::fmt::Write for Writer<'_> {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        self.push(s).map_err(|_| core::fmt::Error)
    }
}

impl Writer<'_> {
    /// Appends what `write` writes into the room left, returning its length.
    #[cfg(feature = "code")]
    fn push_with(
        &mut self,
        write: impl FnOnce(&mut [u8]) -> Result<usize, Error>,
    ) -> Result<(), Error> {
        let rest = self.out.get_mut(self.len..).ok_or(Error::Write)?;
        self.len += write(rest)?;
        Ok(())
    }

    fn push(&mut self, s: &str) -> Result<(), Error> {
        let end = self.len.checked_add(s.len()).ok_or(Error::Write)?;
        let dst = self
            .out
            .get_mut(self.len..end)
            .ok_or(Error::BufferTooSmall { required: end })?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// `n` in decimal, written at the end of `buf`.
fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &str {
    let mut start = buf.len();
    for slot in buf.iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        start -= 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    core::str::from_utf8(buf.get(start..).unwrap_or_default()).unwrap_or_default()
}

/// The settings: `name=value` lines (ABI.md, "Settings").
struct Settings<'s> {
    issuer: &'s str,
    client_id: &'s str,
    redirect_uri: &'s str,
    authorization_endpoint: Option<&'s str>,
    #[cfg_attr(not(any(feature = "logout", feature = "discovery")), allow(dead_code))]
    end_session_endpoint: Option<&'s str>,
    token_endpoint: Option<&'s str>,
    response_type: ResponseType,
    scope: &'s str,
    audience: &'s str,
    trusted_audiences: &'s str,
    algorithms: &'s str,
    prompt: &'s str,
    iss: Option<IssParameter>,
    loopback: bool,
    /// `pkce=assumed`: the provider enforces PKCE `S256` though its metadata does not say so.
    #[cfg_attr(not(feature = "discovery"), allow(dead_code))]
    pkce_assumed: bool,
    /// Whether the host set `loopback` itself.
    #[cfg_attr(not(feature = "discovery"), allow(dead_code))]
    loopback_given: bool,
    renew_margin: u64,
}

const NAMES: [&str; 16] = [
    "issuer",
    "client_id",
    "redirect_uri",
    "authorization_endpoint",
    "end_session_endpoint",
    "token_endpoint",
    "response_type",
    "scope",
    "audience",
    "trusted_audiences",
    "algorithms",
    "prompt",
    "iss",
    "loopback",
    "renew_margin",
    "pkce",
];

impl<'s> Settings<'s> {
    fn parse(text: &'s str) -> Result<Self, Error> {
        let mut values: [Option<&str>; NAMES.len()] = [None; NAMES.len()];
        for line in text.split('\n').filter(|l| !l.is_empty()) {
            let (name, value) = line.split_once('=').ok_or(config_error(Param::Extra))?;
            let i = NAMES
                .iter()
                .position(|n| *n == name)
                .ok_or(config_error(Param::Extra))?;
            let slot = values.get_mut(i).ok_or(Error::Write)?;
            if slot.replace(value).is_some() {
                return Err(Error::Config(ConfigError::Repeated(Param::Extra)));
            }
        }
        let [
            issuer,
            client_id,
            redirect_uri,
            authorization_endpoint,
            end_session_endpoint,
            token_endpoint,
            response_type,
            scope,
            audience,
            trusted_audiences,
            algorithms,
            prompt,
            iss,
            loopback,
            renew_margin,
            pkce,
        ] = values;
        // A build without the code flow has no use for a token endpoint: refused, not ignored.
        if cfg!(not(feature = "code")) && token_endpoint.is_some() {
            return Err(config_error(Param::TokenEndpoint));
        }
        let required = |v: Option<&'s str>, p| v.ok_or(Error::Config(ConfigError::Missing(p)));
        Ok(Self {
            issuer: required(issuer, Param::Issuer)?,
            client_id: required(client_id, Param::ClientId)?,
            redirect_uri: required(redirect_uri, Param::RedirectUri)?,
            authorization_endpoint,
            end_session_endpoint,
            token_endpoint,
            response_type: match response_type.unwrap_or("id_token token") {
                "id_token token" => ResponseType::IdTokenToken,
                "id_token" => ResponseType::IdToken,
                #[cfg(feature = "code")]
                "code" => ResponseType::Code,
                _ => return Err(config_error(Param::ResponseType)),
            },
            scope: scope.unwrap_or("openid"),
            audience: audience.unwrap_or(""),
            trusted_audiences: trusted_audiences.unwrap_or(""),
            algorithms: algorithms.unwrap_or(""),
            prompt: prompt.unwrap_or(""),
            iss: match iss {
                None => None,
                Some("supported") => Some(IssParameter::Supported),
                Some("tolerated") => Some(IssParameter::Tolerated),
                Some("unsupported") => Some(IssParameter::Unsupported),
                Some(_) => return Err(config_error(Param::Issuer)),
            },
            pkce_assumed: match pkce {
                None => false,
                Some("assumed") => true,
                Some(_) => return Err(config_error(Param::CodeChallengeMethod)),
            },
            loopback_given: loopback.is_some(),
            loopback: match loopback {
                None | Some("false") => false,
                Some("true") => true,
                Some(_) => return Err(config_error(Param::Extra)),
            },
            renew_margin: match renew_margin {
                None => 60,
                Some(n) => n.parse().map_err(|_| config_error(Param::Extra))?,
            },
        })
    }
}

/// Whether `response_type` is the code flow's (`ig_callback`, not `ig_complete`).
fn is_code(response_type: ResponseType) -> bool {
    #[cfg(feature = "code")]
    if matches!(response_type, ResponseType::Code) {
        return true;
    }
    let _ = response_type;
    false
}

/// Runs `f` with the configuration the settings `text` describe.
fn with_config<T>(text: &str, f: impl FnOnce(&Config<'_>) -> Result<T, Error>) -> Result<T, Error> {
    let s = Settings::parse(text)?;
    let endpoint = s
        .authorization_endpoint
        .ok_or(Error::Config(ConfigError::Missing(Param::Endpoint)))?;
    let mut scopes = [""; 8];
    let n_scopes = fill(&mut scopes, s.scope, Ok, Param::Scope)?;
    let mut trusted = [""; 8];
    let n_trusted = fill(&mut trusted, s.trusted_audiences, Ok, Param::Extra)?;
    let mut algs = [Algorithm::RS256; 14];
    let n_algs = fill(
        &mut algs,
        s.algorithms,
        |t| Ok(Algorithm::from_name(t)?),
        Param::Extra,
    )?;
    let mut prompts = [Prompt::None; 4];
    let n_prompts = fill(
        &mut prompts,
        s.prompt,
        |t| match t {
            "none" => Ok(Prompt::None),
            "login" => Ok(Prompt::Login),
            "consent" => Ok(Prompt::Consent),
            "select_account" => Ok(Prompt::SelectAccount),
            _ => Err(config_error(Param::Prompt)),
        },
        Param::Prompt,
    )?;
    let mut config = Config::builder(
        Issuer::new(s.issuer),
        AuthorizationEndpoint::new(endpoint),
        ClientId::new(s.client_id),
        RedirectUri::new(s.redirect_uri),
    )
    .response_type(s.response_type)
    .scope(scopes.get(..n_scopes).unwrap_or_default())
    .prompt(prompts.get(..n_prompts).unwrap_or_default())
    .trusted_audiences(trusted.get(..n_trusted).unwrap_or_default())
    .allow_loopback_http(s.loopback)
    .iss_parameter(s.iss.unwrap_or_default());
    if n_algs > 0 {
        config = config.algorithms(algs.get(..n_algs).unwrap_or_default());
    }
    if !s.audience.is_empty() {
        config = config.audience(s.audience);
    }
    #[cfg(feature = "code")]
    if let Some(url) = s.token_endpoint {
        config = config.token_endpoint(implicit_grant::TokenEndpoint::new(url));
    }
    f(&config.build()?)
}

/// Fills `slots` with the space-separated tokens of `list`, read by `read`; returns how many.
fn fill<'t, T>(
    slots: &mut [T],
    list: &'t str,
    read: impl Fn(&'t str) -> Result<T, Error>,
    param: Param,
) -> Result<usize, Error> {
    let mut n = 0;
    for token in list.split(' ').filter(|t| !t.is_empty()) {
        let slot = slots.get_mut(n).ok_or(config_error(param))?;
        *slot = read(token)?;
        n += 1;
    }
    Ok(n)
}

#[cfg(all(target_arch = "wasm32", not(test)))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

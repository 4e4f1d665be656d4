//! implicit-grant as a WebAssembly module: the whole flow for a host that gives it
//! randomness, storage and the time, with every buffer in linear memory and no allocator.
//!
//! The host writes inputs into the I/O buffer (`ig_io`, `IO_LEN` bytes), calls an export,
//! and reads the output from the same buffer. Exports return the output length, or a
//! negative error code (`-code`, see [`code`]).
//!
//! - `ig_configure(len)`: the configuration, as lines `issuer`, `authorization_endpoint`,
//!   `client_id`, `redirect_uri`, `response_type` (`id_token` or `id_token token`),
//!   `scope` (space-separated), `audience` (may be empty), `algorithms` (space-separated),
//!   `loopback` to allow `http` URLs on a loopback host (or empty), `prompt`
//!   (space-separated: `none`, `login`, `consent`, `select_account`; may be empty), and
//!   `iss`: `supported` when the provider sends the RFC 9207 `iss` parameter, `tolerated`
//!   to accept it unadvertised, or empty.
//! - `ig_begin(now)`: writes the authorize URL.
//! - `ig_complete(hash_len, jwks_len, now)`: the buffer holds `location.hash` then the JWKS;
//!   writes `authorized\n<Authorization header value>\n<sub>`, `denied\n<error>`, or
//!   `keys_outdated` (the ID token names a key the JWKS lacks: fetch the JWKS again and call
//!   `ig_complete` once more with the same hash).
//!
//! - `ig_bearer(len)`: the buffer holds an access token; writes its `Authorization` header
//!   value (`Bearer …`), or fails if the token is not a valid `b64token`.
//!
//! Imports (module `host`): `random(ptr, len) -> i32` (0 on success);
//! `save(key_ptr, key_len, ptr, len, issued_at) -> i32` stores the record at `ptr` under the
//! key text at `key_ptr` (22 base64url characters; `issued_at` in Unix seconds, for pruning),
//! 0 on success; `take(key_ptr, key_len, ptr, len) -> i32` writes the record stored under the
//! key and forgets it: 1 with a record written, 0 with none, negative on failure.
#![no_std]

use core::cell::UnsafeCell;

use implicit_grant::Algorithm;
use implicit_grant::limits::RECORD_LEN;
use implicit_grant::verify::Jwks;
use implicit_grant::{
    Config, Error, ErrorCode, FlowError, IssParameter, Outcome, Prompt, Random, RandomError,
    Record, ResponseType, StorageError, TransactionKey, TransactionStore, bearer_header, begin,
    complete,
};

/// Size of the I/O buffer.
pub const IO_LEN: usize = 24 * 1024;
const CONFIG_LEN: usize = 2048;

/// A buffer the single-threaded host and module share.
struct Shared<const N: usize>(UnsafeCell<[u8; N]>);

// SAFETY: wasm32 modules run on one thread; each export takes the buffer once.
unsafe impl<const N: usize> Sync for Shared<N> {}

static IO: Shared<IO_LEN> = Shared(UnsafeCell::new([0; IO_LEN]));
static CONFIG: Shared<CONFIG_LEN> = Shared(UnsafeCell::new([0; CONFIG_LEN]));
static CONFIG_SET: Shared<1> = Shared(UnsafeCell::new([0]));

#[allow(clippy::mut_from_ref)] // the UnsafeCell hands out the one mutable view
fn buffer<const N: usize>(shared: &'static Shared<N>) -> &'static mut [u8; N] {
    // SAFETY: one thread, and each export calls this at most once per buffer.
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

/// Storage from the host (`localStorage` or `sessionStorage`), one item per key.
struct HostStore;

impl TransactionStore for HostStore {
    fn save(&mut self, key: &TransactionKey, record: &Record) -> Result<(), StorageError> {
        let (key, bytes) = (key.as_str(), record.expose_secret());
        #[cfg(target_arch = "wasm32")]
        // SAFETY: the host reads `key_len` bytes at `key_ptr` and `len` bytes at `ptr`.
        if unsafe {
            save(
                key.as_ptr(),
                key.len(),
                bytes.as_ptr(),
                bytes.len(),
                record.issued_at(),
            )
        } == 0
        {
            return Ok(());
        }
        let _ = (key, bytes);
        Err(StorageError)
    }

    fn take(&mut self, key: &TransactionKey) -> Result<Option<Record>, StorageError> {
        let (key, mut bytes) = (key.as_str(), [0u8; RECORD_LEN]);
        #[cfg(target_arch = "wasm32")]
        // SAFETY: the host reads `key_len` bytes at `key_ptr`, writes at most `len` at `ptr`.
        return match unsafe { take(key.as_ptr(), key.len(), bytes.as_mut_ptr(), bytes.len()) } {
            1 => Ok(Some(Record::from_bytes(bytes))),
            0 => Ok(None),
            _ => Err(StorageError),
        };
        #[allow(unreachable_code)]
        {
            let _ = (key, &mut bytes);
            Err(StorageError)
        }
    }
}

/// Error codes returned (negated) by the exports.
pub mod code {
    /// The I/O buffer or an output is too small.
    pub const BUFFER: i32 = 1;
    /// `ig_configure` was not called, or its text is malformed.
    pub const CONFIG: i32 = 2;
    /// The redirect response is malformed or lacks a token.
    pub const RESPONSE: i32 = 3;
    /// The ID token's structure, algorithm or signature is wrong.
    pub const JWT: i32 = 4;
    /// An ID token claim is wrong (iss, aud, exp, nonce, at_hash…).
    pub const CLAIMS: i32 = 5;
    /// No pending transaction: a replay, or lost storage.
    pub const NO_TRANSACTION: i32 = 6;
    /// `state` does not match the pending transaction.
    pub const STATE: i32 = 7;
    /// Another flow error (storage, randomness, expired transaction…).
    pub const FLOW: i32 = 8;
    /// The JWKS cannot be parsed.
    pub const KEYS: i32 = 9;
    /// The ID token names a key the JWKS lacks, after the retry that `keys_outdated` asked
    /// for.
    pub const UNKNOWN_KEY: i32 = 10;
}

fn error_code(e: &Error) -> i32 {
    use implicit_grant::{JwtError, SelectionError};
    -match e {
        Error::BufferTooSmall { .. } | Error::Write => code::BUFFER,
        Error::Config(_) => code::CONFIG,
        Error::Response(_) => code::RESPONSE,
        Error::Jwt(JwtError::KeySelection(SelectionError::UnknownKey)) => code::UNKNOWN_KEY,
        Error::Jwt(_) => code::JWT,
        Error::Claims(_) => code::CLAIMS,
        Error::Flow(FlowError::NoTransaction) => code::NO_TRANSACTION,
        Error::Flow(FlowError::StateMismatch | FlowError::StateMissing) => code::STATE,
        Error::Flow(_) => code::FLOW,
        Error::Key(_) => code::KEYS,
        _ => code::FLOW,
    }
}

/// The I/O buffer's address in linear memory.
#[unsafe(no_mangle)]
pub extern "C" fn ig_io() -> *mut u8 {
    buffer(&IO).as_mut_ptr()
}

/// Stores the configuration written at the start of the I/O buffer (`len` bytes).
#[unsafe(no_mangle)]
pub extern "C" fn ig_configure(len: usize) -> i32 {
    let (io, config) = (buffer(&IO), buffer(&CONFIG));
    let Some((src, dst)) = io.get(..len).zip(config.get_mut(..len)) else {
        return -code::BUFFER;
    };
    dst.copy_from_slice(src);
    if let Some(rest) = config.get_mut(len..) {
        rest.fill(0);
    }
    buffer(&CONFIG_SET)[0] = 1;
    let mut algs = [Algorithm::RS256; 4];
    match with_config(&mut algs, |_| Ok(0)) {
        Ok(_) => 0,
        Err(e) => error_code(&e),
    }
}

/// Writes the authorize URL into the I/O buffer and saves the transaction.
#[unsafe(no_mangle)]
pub extern "C" fn ig_begin(now: u64) -> i32 {
    let mut algs = [Algorithm::RS256; 4];
    let result = with_config(&mut algs, |config| {
        let io = buffer(&IO);
        begin(config, &mut HostRandom, &mut HostStore, now, io).map(str::len)
    });
    output(result)
}

/// Completes the login from `location.hash` and the JWKS in the I/O buffer. The output is
/// `authorized`, the `Authorization` header value (empty for `id_token`) and `sub`, or
/// `denied` and the provider's `error` code, one per line.
#[unsafe(no_mangle)]
pub extern "C" fn ig_complete(hash_len: usize, jwks_len: usize, now: u64) -> i32 {
    let mut algs = [Algorithm::RS256; 4];
    let result = with_config(&mut algs, |config| {
        let (input, rest) = buffer(&IO).split_at_mut(IO_LEN / 2);
        let (scratch, out) = rest.split_at_mut(IO_LEN / 4);
        let end = hash_len.checked_add(jwks_len).ok_or(Error::Write)?;
        let text = input
            .get(..end)
            .ok_or(Error::BufferTooSmall { required: end })?;
        let text = core::str::from_utf8(text).map_err(|_| Error::Write)?;
        let (hash, jwks) = text.split_at_checked(hash_len).ok_or(Error::Write)?;
        // Room for a provider that signs with every family and is rotating one key.
        let keys = Jwks::<8>::parse_with_capacity(jwks)?;
        let mut w = Writer { out, len: 0 };
        match complete(config, hash, &mut HostStore, &keys, now, scratch)? {
            Outcome::Authorized(session) => {
                w.push("authorized\n")?;
                if let Some(at) = session.access_token {
                    let mut header = [0u8; 4096];
                    w.push(bearer_header(at, &mut header)?)?;
                }
                w.push("\n")?;
                w.push(session.claims.map_or("", |c| c.sub))?;
            }
            Outcome::Denied(denial) => {
                w.push("denied\n")?;
                w.push(match denial.error {
                    ErrorCode::Other(code) => code.as_encoded(),
                    known => known.as_str().unwrap_or_default(),
                })?;
            }
            Outcome::KeysOutdated => w.push("keys_outdated")?,
        }
        let len = w.len;
        let (dst, src) = input
            .get_mut(..len)
            .zip(w.out.get(..len))
            .ok_or(Error::Write)?;
        dst.copy_from_slice(src);
        Ok(len)
    });
    output(result)
}

/// Writes the `Authorization` header value for the access token at the start of the I/O
/// buffer (`len` bytes).
#[unsafe(no_mangle)]
pub extern "C" fn ig_bearer(len: usize) -> i32 {
    let (input, out) = buffer(&IO).split_at_mut(IO_LEN / 2);
    let result = input
        .get(..len)
        .and_then(|t| core::str::from_utf8(t).ok())
        .ok_or(Error::Write)
        .and_then(|token| bearer_header(implicit_grant::AccessToken::new(token), out))
        .map(str::len)
        .and_then(|n| {
            let (dst, src) = input.get_mut(..n).zip(out.get(..n)).ok_or(Error::Write)?;
            dst.copy_from_slice(src);
            Ok(n)
        });
    output(result)
}

struct Writer<'a> {
    out: &'a mut [u8],
    len: usize,
}

impl Writer<'_> {
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

fn output(result: Result<usize, Error>) -> i32 {
    match result {
        Ok(n) => i32::try_from(n).unwrap_or(-code::BUFFER),
        Err(e) => error_code(&e),
    }
}

/// Runs `f` with the stored configuration.
fn with_config(
    algs: &mut [Algorithm; 4],
    f: impl FnOnce(&Config<'_>) -> Result<usize, Error>,
) -> Result<usize, Error> {
    if buffer(&CONFIG_SET)[0] != 1 {
        return Err(Error::Config(
            implicit_grant::ConfigError::MissingParameter(implicit_grant::Param::Endpoint),
        ));
    }
    let config = buffer(&CONFIG);
    let end = config.iter().position(|&b| b == 0).unwrap_or(CONFIG_LEN);
    let text =
        core::str::from_utf8(config.get(..end).unwrap_or_default()).map_err(|_| Error::Write)?;
    let mut lines = text.split('\n');
    let mut line = || lines.next().unwrap_or("");
    let (issuer, endpoint, client_id, redirect) = (line(), line(), line(), line());
    let response_type = match line() {
        "id_token" => ResponseType::IdToken,
        _ => ResponseType::IdTokenToken,
    };
    let (scope, audience, alg_names) = (line(), line(), line());
    let mut scopes = [""; 8];
    for (slot, s) in scopes
        .iter_mut()
        .zip(scope.split(' ').filter(|s| !s.is_empty()))
    {
        *slot = s;
    }
    let n_scopes = scopes.iter().take_while(|s| !s.is_empty()).count();
    let mut n_algs = 0;
    for (slot, name) in algs
        .iter_mut()
        .zip(alg_names.split(' ').filter(|s| !s.is_empty()))
    {
        *slot = Algorithm::from_name(name)?;
        n_algs += 1;
    }
    let mut config = Config::new(issuer, endpoint, client_id, redirect)
        .response_type(response_type)
        .scope(scopes.get(..n_scopes).unwrap_or_default())
        .algorithms(algs.get(..n_algs.max(1)).unwrap_or_default())
        .allow_loopback_http(line() == "loopback");
    if !audience.is_empty() {
        config = config.audience(audience);
    }
    let mut prompts = [Prompt::None; 4];
    let mut n_prompts = 0;
    for (slot, name) in prompts
        .iter_mut()
        .zip(line().split(' ').filter(|s| !s.is_empty()))
    {
        *slot = match name {
            "none" => Prompt::None,
            "login" => Prompt::Login,
            "consent" => Prompt::Consent,
            "select_account" => Prompt::SelectAccount,
            _ => {
                return Err(Error::Config(
                    implicit_grant::ConfigError::InvalidParameter(implicit_grant::Param::Prompt),
                ));
            }
        };
        n_prompts += 1;
    }
    let iss_parameter = match line() {
        "supported" => IssParameter::Supported,
        "tolerated" => IssParameter::Tolerated,
        "" => IssParameter::Unsupported,
        _ => {
            return Err(Error::Config(
                implicit_grant::ConfigError::InvalidParameter(implicit_grant::Param::Iss),
            ));
        }
    };
    f(&config
        .prompt(prompts.get(..n_prompts).unwrap_or_default())
        .iss_parameter(iss_parameter))
}

#[cfg(all(target_arch = "wasm32", not(test)))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

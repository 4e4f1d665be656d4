//! The code flow's exports (feature `code`, ABI.md "The code flow"): `ig_callback` reads the
//! redirect, takes its transaction and keeps the code for its one token request, which it
//! writes for the host to POST; `ig_redeem` reads the answer. `ig_refresh_request` and
//! `ig_refresh` do the same for a refresh token (RFC 6749 §6, OIDC Core §12.2).

use core::cell::UnsafeCell;

use implicit_grant::verify::Jwks;
use implicit_grant::{
    Callback, CodeGrant, ConfigError, Error, ErrorCode, ErrorKind, FlowError, IdToken, Param,
    Redeemed, Refresh, RefreshToken, ResponseError, SelectionError, UnixTime, callback,
};

use crate::{
    Fault, HostStore, IO, IO_LEN, JWKS_CAPACITY, Settings, Shared, Writer, buffer, copy_to_start,
    decimal, inputs, output, stored_settings, with_config, write_denial, write_session,
};

/// Codes that may await their token request at once.
const SLOTS: usize = 4;
/// Most bytes of the callback `ig_callback` takes (the whole URL, or its query): its code
/// is kept, with the transaction, until it is redeemed.
pub const CALLBACK_LEN: usize = 4096;

/// Seconds a code may wait for its token request: RFC 6749 §4.1.2 recommends codes live
/// at most ten minutes, so a slot older than that holds a dead code and may be reused.
const CODE_LIFETIME: u64 = 600;

/// A code awaiting its token request, under the handle the host was given.
struct Pending {
    handle: u32,
    grant: CodeGrant<'static>,
    /// When `ig_callback` took it (Unix seconds).
    taken_at: u64,
    /// The one retry after `keys_outdated` was granted.
    retried: bool,
}

/// The slots, each a value of its own: a view of one never covers another's.
static PENDING: [Shared<Option<Pending>>; SLOTS] = [const { Shared(UnsafeCell::new(None)) }; SLOTS];
/// Per slot, the callback as given (first half; the grant's code points into it) and the
/// code decoded when it has escapes (second half). Written only while the slot is empty.
static TEXT: [Shared<[u8; 2 * CALLBACK_LEN]>; SLOTS] =
    [const { Shared(UnsafeCell::new([0; 2 * CALLBACK_LEN])) }; SLOTS];
/// The last handle given out (handles start at 1 and never repeat within 2^32 calls).
static LAST_HANDLE: Shared<u32> = Shared(UnsafeCell::new(0));

/// Empties slot `i`: the grant (and its transaction, which wipes itself) goes first, then
/// the text it pointed into is wiped.
fn free(i: usize) {
    if let (Some(slot), Some(text)) = (PENDING.get(i), TEXT.get(i)) {
        *buffer(slot) = None;
        buffer(text).fill(0);
    }
}

/// The slot holding `handle`'s grant.
fn slot_of(handle: u32) -> Option<usize> {
    PENDING
        .iter()
        .position(|slot| buffer(slot).as_ref().is_some_and(|p| p.handle == handle))
}

/// A slot for a new code: an empty one, or else one whose code has outlived
/// [`CODE_LIFETIME`] (freed here).
fn free_slot(now: u64) -> Option<usize> {
    let empty = PENDING.iter().position(|slot| buffer(slot).is_none());
    empty.or_else(|| {
        let dead = PENDING.iter().position(|slot| {
            let taken_at = buffer(slot).as_ref().map_or(0, |p| p.taken_at);
            now.saturating_sub(taken_at) > CODE_LIFETIME
        })?;
        free(dead);
        Some(dead)
    })
}

/// Reads the redirect of a `code` login (the callback URL, `location.search`, or the query
/// alone; at most [`CALLBACK_LEN`] bytes at the start of the I/O buffer) as the crate's
/// `callback` does, checking `state` and `iss` before the transaction is taken. The output:
/// `code`, the grant's handle (for `ig_redeem`), the token endpoint and the token request's
/// `application/x-www-form-urlencoded` body; or `denied`, the provider's `error` and
/// `interaction` (or an empty line).
#[unsafe(no_mangle)]
pub extern "C" fn ig_callback(input_len: usize, now: u64) -> i32 {
    output(take_code(input_len, now))
}

fn take_code(input_len: usize, now: u64) -> Result<usize, Fault> {
    let settings = stored_settings()?;
    let (input, out) = buffer(&IO).split_at_mut(IO_LEN / 2);
    let invalid = Error::Response(ResponseError::InvalidUtf8);
    let [given] = inputs(input, [input_len], invalid)?;
    // Checked before the transaction is taken, so that a login is never consumed for want
    // of room: the callback fits its slot, and the output (the endpoint and the body: the
    // code, `redirect_uri` and `client_id`, each at most tripled by form encoding) fits.
    if given.len() > CALLBACK_LEN {
        return Err(Error::BufferTooSmall {
            required: given.len(),
        }
        .into());
    }
    let needed = (given.len() + settings.len()).saturating_mul(3) + 64;
    if needed > out.len() {
        return Err(Error::BufferTooSmall { required: needed }.into());
    }
    let slot = free_slot(now).ok_or(Fault::Busy)?;
    let handle = buffer(&LAST_HANDLE).wrapping_add(1).max(1);
    let text = buffer(TEXT.get(slot).ok_or(Error::Write)?);
    let (kept, scratch) = text.split_at_mut(CALLBACK_LEN);
    let kept = kept.get_mut(..given.len()).ok_or(Error::Write)?;
    kept.copy_from_slice(given.as_bytes());
    // The 'static borrows: `kept` and `scratch` are slot `slot`'s text, which nothing else
    // borrows while the slot is empty; the grant that borrows them lives in that slot, and
    // `free` drops it before the text is wiped or written again.
    let given = core::str::from_utf8(kept).map_err(|_| invalid)?;
    let mut w = Writer { out, len: 0 };
    let taken = with_config(settings, |config| {
        // `configure` requires it for `code`: checked before the transaction is taken.
        let endpoint = config
            .token_endpoint()
            .ok_or(Error::Config(ConfigError::Missing(Param::TokenEndpoint)))?;
        let at = UnixTime::from_secs(now);
        match callback(config, given, &mut HostStore, at, scratch)? {
            Callback::Code(grant) => {
                let request = grant.token_request(config)?;
                w.push("code\n")?;
                w.push(decimal(handle.into(), &mut [0; 20]))?;
                w.push("\n")?;
                w.push(endpoint)?;
                w.push("\n")?;
                w.push_with(|rest| request.body(rest).map(str::len))?;
                Ok(Some(grant))
            }
            Callback::Denied(denial) => {
                let error = match denial.error {
                    ErrorCode::Other(code) => code.as_encoded(),
                    known => known.as_str().unwrap_or_default(),
                };
                write_denial(&mut w, error, denial.needs_interaction())?;
                Ok(None)
            }
        }
    });
    match taken {
        Ok(Some(grant)) => {
            *buffer(&LAST_HANDLE) = handle;
            let pending = buffer(PENDING.get(slot).ok_or(Error::Write)?);
            *pending = Some(Pending {
                handle,
                grant,
                taken_at: now,
                retried: false,
            });
        }
        Ok(None) => free(slot),
        Err(e) => {
            free(slot);
            return Err(e.into());
        }
    }
    let len = w.len;
    Ok(copy_to_start(input, w.out, len)?)
}

/// Reads the token endpoint's answer to the request `ig_callback` wrote for `handle`: its
/// HTTP `status` and body, then the provider's JWK Set (`body_len` and `jwks_len` bytes),
/// and verifies the ID token. The output: `authorized` and the lines of `ig_complete`'s,
/// then the refresh token (or an empty line); `denied`, the token endpoint's `error`
/// (`invalid_grant`…) and an empty line; or `keys_outdated` (fetch the JWK Set again and
/// call once more with the same answer; a second time is code 10). The grant is spent by
/// any other outcome, but for faults of the inputs themselves, found before the answer is
/// believed (codes 1, 2, 3, 9: sizes, UTF-8, the status, the JWK Set).
#[unsafe(no_mangle)]
pub extern "C" fn ig_redeem(
    handle: u32,
    status: u32,
    body_len: usize,
    jwks_len: usize,
    now: u64,
) -> i32 {
    output(redeem(handle, status, body_len, jwks_len, now))
}

fn redeem(
    handle: u32,
    status: u32,
    body_len: usize,
    jwks_len: usize,
    now: u64,
) -> Result<usize, Error> {
    let settings = stored_settings()?;
    let slot = slot_of(handle).ok_or(FlowError::NoPendingTransaction)?;
    let (input, rest) = buffer(&IO).split_at_mut(IO_LEN / 2);
    let (scratch, out) = rest.split_at_mut(IO_LEN / 4);
    let invalid = Error::Response(ResponseError::InvalidUtf8);
    let [body, jwks] = inputs(input, [body_len, jwks_len], invalid)?;
    let (status, margin) = answer(settings, out, body, status)?;
    let keys = Jwks::<JWKS_CAPACITY>::parse_with_capacity(jwks)?;
    let pending = PENDING
        .get(slot)
        .and_then(|slot| buffer(slot).as_mut())
        .ok_or(Error::Write)?;
    let mut w = Writer { out, len: 0 };
    let outcome = with_config(settings, |config| {
        let now = UnixTime::from_secs(now);
        let redeemed = pending
            .grant
            .redeem(config, status, body, &keys, now, scratch);
        write_redeemed(&mut w, redeemed, !pending.retried, margin)
    });
    match &outcome {
        Ok(Written::KeysOutdated) => pending.retried = true,
        Err(e) if e.kind() == ErrorKind::Misuse => {}
        _ => free(slot),
    }
    outcome?;
    let len = w.len;
    copy_to_start(input, w.out, len)
}

/// Drops the code awaiting its token request under `handle` (the host gave up on it).
/// Returns 0, or code 6 when there is none.
#[unsafe(no_mangle)]
pub extern "C" fn ig_drop(handle: u32) -> i32 {
    output(match slot_of(handle) {
        Some(i) => {
            free(i);
            Ok(0)
        }
        None => Err(Error::from(FlowError::NoPendingTransaction)),
    })
}

/// Writes the token request of a refresh (RFC 6749 §6) with the refresh token at the start
/// of the I/O buffer (`refresh_len` bytes): the token endpoint, then the body.
#[unsafe(no_mangle)]
pub extern "C" fn ig_refresh_request(refresh_len: usize) -> i32 {
    output(stored_settings().and_then(|settings| {
        let (input, out) = buffer(&IO).split_at_mut(IO_LEN / 2);
        let invalid = Error::Response(ResponseError::InvalidUtf8);
        let [refresh_token] = inputs(input, [refresh_len], invalid)?;
        let mut w = Writer { out, len: 0 };
        with_config(settings, |config| {
            let refresh = Refresh::new(RefreshToken::new(refresh_token), None);
            let request = refresh.token_request(config)?;
            let missing = Error::Config(ConfigError::Missing(Param::TokenEndpoint));
            w.push(request.endpoint().ok_or(missing)?)?;
            w.push("\n")?;
            w.push_with(|rest| request.body(rest).map(str::len))
        })?;
        let len = w.len;
        copy_to_start(input, w.out, len)
    }))
}

/// Reads the token endpoint's answer to a refresh: the I/O buffer holds the refresh token,
/// the session's ID token (empty for an OAuth session), the answer's body and the JWK Set;
/// an ID token in the answer must keep the session's `iss`, `sub`, `aud`, `azp` and
/// `auth_time` (OIDC Core §12.2). The output is `ig_redeem`'s: keep the new refresh token
/// when the line is not empty (the provider rotated it). It keeps no state: a host retries
/// once after `keys_outdated`, with the JWK Set fetched again, and then gives up.
#[unsafe(no_mangle)]
pub extern "C" fn ig_refresh(
    refresh_len: usize,
    id_token_len: usize,
    status: u32,
    body_len: usize,
    jwks_len: usize,
    now: u64,
) -> i32 {
    output(stored_settings().and_then(|settings| {
        let (input, rest) = buffer(&IO).split_at_mut(IO_LEN / 2);
        let (scratch, out) = rest.split_at_mut(IO_LEN / 4);
        let invalid = Error::Response(ResponseError::InvalidUtf8);
        let lens = [refresh_len, id_token_len, body_len, jwks_len];
        let [refresh_token, id_token, body, jwks] = inputs(input, lens, invalid)?;
        let (status, margin) = answer(settings, out, body, status)?;
        let keys = Jwks::<JWKS_CAPACITY>::parse_with_capacity(jwks)?;
        let session = (!id_token.is_empty()).then(|| IdToken::new(id_token));
        let mut w = Writer { out, len: 0 };
        with_config(settings, |config| {
            let refresh = Refresh::new(RefreshToken::new(refresh_token), session);
            let now = UnixTime::from_secs(now);
            let redeemed = refresh.redeem(config, status, body, &keys, now, scratch);
            write_redeemed(&mut w, redeemed, true, margin)
        })?;
        let len = w.len;
        copy_to_start(input, w.out, len)
    }))
}

/// What `ig_redeem` and `ig_refresh` check alike before the answer is believed: room in
/// `out` for the outcome (its tokens and `sub` come from `body`, so it is never longer);
/// the HTTP `status`, and the settings' renewal margin. (Each parses its JWK Set itself: a
/// set returned by value would cross the module's 64 KiB stack once more.)
fn answer(settings: &str, out: &[u8], body: &str, status: u32) -> Result<(u16, u64), Error> {
    let needed = body.len().saturating_add(64);
    if needed > out.len() {
        return Err(Error::BufferTooSmall { required: needed });
    }
    let status = u16::try_from(status).map_err(|_| ResponseError::UnexpectedStatus)?;
    Ok((status, Settings::parse(settings)?.renew_margin))
}

/// What [`write_redeemed`] wrote.
enum Written {
    Outcome,
    KeysOutdated,
}

/// Writes the outcome of a token response; a first `UnknownKey` (when `may_retry`) is
/// `keys_outdated`.
fn write_redeemed(
    w: &mut Writer<'_>,
    redeemed: Result<Redeemed<'_>, Error>,
    may_retry: bool,
    margin: u64,
) -> Result<Written, Error> {
    match redeemed {
        Ok(Redeemed::Authorized(session)) => {
            write_session(w, &session, margin)?;
            w.push("\n")?;
            w.push(session.refresh_token.map_or("", |t| t.expose_secret()))?;
        }
        Ok(Redeemed::Denied(denial)) => write_denial(w, denial.error.as_str(), false)?,
        Err(Error::KeySelection(SelectionError::UnknownKey)) if may_retry => {
            w.push("keys_outdated")?;
            return Ok(Written::KeysOutdated);
        }
        Err(e) => return Err(e),
    }
    Ok(Written::Outcome)
}

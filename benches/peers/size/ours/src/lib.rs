//! The whole flow as one wasm32 export, built with implicit-grant: no allocator, no std.
//! `begin` (the authorize URL, a transaction stored), `complete` (fragment, state, RS256 ID
//! token from a parsed JWK Set, `at_hash`), then the `Authorization` header. Built by
//! `benches/peers/size/size.sh` to compare module sizes; the twin crates in `../jwt` and
//! `../oidc` do only the callback (`complete`) with the std peers, so ours carries more.
#![no_std]

use implicit_grant::verify::Jwks;
use implicit_grant::{
    AuthorizationEndpoint, ClientId, Config, Issuer, MemoryStore, Outcome, Random, RandomError,
    RedirectUri, UnixTime, bearer_header, begin, complete,
};

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    loop {}
}

/// `input` holds five lines: the provider's JWK Set, the `state` and `nonce` (unused here:
/// the peers' modules take them), the redirect fragment, and the random bytes that `begin`
/// draws, in hex (those that encode the fixture's `state` and `nonce`). Returns the length
/// of the verified `sub`, or -1.
///
/// # Safety
/// `input` points to `len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn callback(input: *const u8, len: usize, now: u64) -> i32 {
    // SAFETY: the caller's contract.
    let input = unsafe { core::slice::from_raw_parts(input, len) };
    run(input, now).unwrap_or(-1)
}

/// Hands out the bytes of a hex string, in order.
struct Replay<'a>(&'a [u8]);

impl Random for Replay<'_> {
    fn fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), RandomError> {
        for byte in dest {
            let (pair, rest) = self.0.split_first_chunk::<2>().ok_or(RandomError)?;
            let hex = |c: u8| char::from(c).to_digit(16).ok_or(RandomError);
            *byte = u8::try_from(hex(pair[0])? << 4 | hex(pair[1])?).map_err(|_| RandomError)?;
            self.0 = rest;
        }
        Ok(())
    }
}

fn run(input: &[u8], now: u64) -> Option<i32> {
    let mut lines = core::str::from_utf8(input).ok()?.split('\n');
    let (jwks, _state, _nonce, fragment, random) = (
        lines.next()?,
        lines.next()?,
        lines.next()?,
        lines.next()?,
        lines.next()?,
    );
    let keys: Jwks<2> = Jwks::parse_with_capacity(jwks).ok()?;
    let config = Config::builder(
        Issuer::new("https://dev-k3x9q2.us.auth0.com/"),
        AuthorizationEndpoint::new("https://dev-k3x9q2.us.auth0.com/authorize"),
        ClientId::new("Xq7cS2ZpX4WmB9tN1hL8vR3yD6fK0jGa"),
        RedirectUri::new("https://app.example.com/callback"),
    )
    .build()
    .ok()?;
    let now = UnixTime::from_secs(now);
    let mut store = MemoryStore::<1>::new();
    let mut url = [0u8; 1024];
    begin(
        &config,
        &mut Replay(random.as_bytes()),
        &mut store,
        now,
        &mut url,
    )
    .ok()?;
    let mut scratch = [0u8; 4096];
    match complete(&config, fragment, &mut store, &keys, now, &mut scratch).ok()? {
        Outcome::Authorized(session) => {
            let mut header = [0u8; 2048];
            bearer_header(session.access_token?, &mut header).ok()?;
            i32::try_from(session.claims?.sub().len()).ok()
        }
        Outcome::Denied(_) | Outcome::KeysOutdated => None,
    }
}

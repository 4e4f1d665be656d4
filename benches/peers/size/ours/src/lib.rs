//! `complete` as a wasm32 export, built with implicit-grant: no allocator, no std.
//! Built by `benches/peers/size.sh` to compare module sizes; the twin crates in `../jwt` and
//! `../oidc` do the same work with the std peers.
#![no_std]

use implicit_grant::verify::Jwks;
use implicit_grant::{
    Config, MemoryStore, Outcome, ResponseType, Transaction, TransactionStore, complete,
};

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    loop {}
}

/// `input` holds four lines: the provider's JWK Set, the stored `state`, the stored
/// `nonce`, the redirect fragment. Returns the length of the verified `sub`, or -1.
///
/// # Safety
/// `input` points to `len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn callback(input: *const u8, len: usize, now: u64) -> i32 {
    // SAFETY: the caller's contract.
    let input = unsafe { core::slice::from_raw_parts(input, len) };
    run(input, now).unwrap_or(-1)
}

fn run(input: &[u8], now: u64) -> Option<i32> {
    let mut lines = core::str::from_utf8(input).ok()?.split('\n');
    let (jwks, state, nonce, fragment) =
        (lines.next()?, lines.next()?, lines.next()?, lines.next()?);
    let keys: Jwks<2> = Jwks::parse_with_capacity(jwks).ok()?;
    let config = Config::new(
        "https://dev-k3x9q2.us.auth0.com/",
        "https://dev-k3x9q2.us.auth0.com/authorize",
        "Xq7cS2ZpX4WmB9tN1hL8vR3yD6fK0jGa",
        "https://app.example.com/callback",
    );
    let transaction = Transaction::new(state, Some(nonce), ResponseType::IdTokenToken, now).ok()?;
    let transaction = transaction.bound_to(&config);
    let mut store = MemoryStore::<1>::new();
    store.save(&transaction.key(), &transaction.to_record()).ok()?;
    let mut scratch = [0u8; 4096];
    match complete(&config, fragment, &mut store, &keys, now, &mut scratch).ok()? {
        Outcome::Authorized(session) => i32::try_from(session.claims?.sub.len()).ok(),
        Outcome::Denied(_) | Outcome::KeysOutdated => None,
    }
}

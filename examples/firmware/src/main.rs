//! implicit-grant on a microcontroller: a `#![no_std]` `#![no_main]` Cortex-M4 firmware,
//! with no global allocator, that runs `begin` and `complete` (RS256 and ES256 ID tokens
//! signed by `gen_fixture.py`) and reports each call's stack depth, measured by painting
//! the unused stack before the call and finding the deepest word it overwrote.
//!
//! Run under QEMU, in `examples/firmware`: `cargo run --profile firmware` (see
//! `.cargo/config.toml`).
#![no_std]
#![no_main]

mod fixture;

use core::ptr;

use cortex_m_rt::entry;
use cortex_m_semihosting::{debug, hprintln};
use implicit_grant::Algorithm;
use implicit_grant::verify::Jwks;
use implicit_grant::{
    AuthorizationEndpoint, ClientId, Config, ConfigError, Issuer, MemoryStore, Outcome, Random,
    RandomError, RedirectUri, Transaction, TransactionStore, UnixTime, begin, complete,
};
use implicit_grant::{Expectations, verify_id_token};

use fixture::*;

/// The deepest stack measured, in bytes.
const PAINT: usize = 48 * 1024;
const PATTERN: u32 = 0xDEAD_BEEF;

/// Stands in for the chip's hardware RNG (a real device must use its TRNG).
struct Xorshift(u32);

impl Random for Xorshift {
    fn fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), RandomError> {
        for b in dest {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 17;
            self.0 ^= self.0 << 5;
            *b = self.0 as u8;
        }
        Ok(())
    }
}

/// Runs `f` and returns (its result, the stack bytes it used).
#[inline(never)]
fn measure<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let top = cortex_m::register::msp::read() as usize - 256;
    let bottom = top - PAINT;
    for addr in (bottom..top).step_by(4) {
        // SAFETY: below the stack pointer and above the static data: unused stack.
        unsafe { ptr::write_volatile(addr as *mut u32, PATTERN) };
    }
    let result = call(f);
    let deepest = (bottom..top)
        .step_by(4)
        // SAFETY: the same painted words, read back.
        .find(|&addr| unsafe { ptr::read_volatile(addr as *const u32) } != PATTERN)
        .unwrap_or(top);
    (result, top - deepest)
}

/// Keeps `f` (and whatever is inlined into it) out of `measure`'s own frame, which was
/// set up before the stack pointer was read.
#[inline(never)]
fn call<T>(f: impl FnOnce() -> T) -> T {
    f()
}

fn config() -> Result<Config<'static>, ConfigError> {
    Config::builder(
        Issuer::new(ISSUER),
        AuthorizationEndpoint::new("https://op.example/authorize"),
        ClientId::new(CLIENT_ID),
        RedirectUri::new("https://device.example/cb"),
    )
    .algorithms(&[Algorithm::RS256, Algorithm::ES256])
    .build()
}

#[entry]
fn main() -> ! {
    let Ok(config) = config() else { exit(false) };
    let now = UnixTime::from_secs(NOW);
    // Stands in for battery-backed RAM or flash: two logins may be pending.
    let mut store = MemoryStore::<2>::new();
    let mut url = [0u8; 512];
    let (begun, stack) = measure(|| {
        begin(
            &config,
            &mut Xorshift(0x1234_5678),
            &mut store,
            now,
            &mut url,
        )
        .map(str::len)
    });
    hprintln!("begin: {:?}, stack {} bytes", begun, stack);
    let mut ok = begun.is_ok();

    let (parsed, stack) = measure(|| Jwks::parse(JWKS));
    hprintln!("Jwks::parse: {}, stack {} bytes", parsed.is_ok(), stack);
    ok &= parsed.is_ok();
    // The same set built where it is kept (a device reloads its keys in place).
    let mut keys: Jwks = Jwks::new();
    let (loaded, stack) = measure(|| keys.load(JWKS));
    hprintln!("Jwks::load: {}, stack {} bytes", loaded.is_ok(), stack);
    if loaded.is_err() || keys.len() != parsed.map_or(0, |p| p.len()) {
        exit(false)
    }

    let mut fragments: [(&str, &str); 2] = [("", ""); 2];
    let mut n = 0;
    if cfg!(feature = "rsa") {
        fragments[n] = ("RS256", RS256_FRAGMENT);
        n += 1;
    }
    if cfg!(feature = "ecdsa") {
        fragments[n] = ("ES256", ES256_FRAGMENT);
        n += 1;
    }
    for (alg, fragment) in &fragments[..n] {
        let Ok(pending) = Transaction::new(&config, STATE, Some(NONCE), now) else {
            exit(false)
        };
        if store
            .save(&pending.key(), &pending.to_record(), now)
            .is_err()
        {
            exit(false)
        }
        let mut scratch = [0u8; 2048];
        let (outcome, stack) = measure(|| {
            matches!(
                complete(&config, fragment, &mut store, &keys, now, &mut scratch),
                Ok(Outcome::Authorized(_))
            )
        });
        hprintln!(
            "complete ({}): authorized {}, stack {} bytes",
            alg,
            outcome,
            stack
        );
        ok &= outcome;
        // The ID token alone (signature and claims), to tell the flow's own stack from
        // the verification's.
        let id_token = fragment
            .split('&')
            .find_map(|p| p.strip_prefix("id_token="))
            .unwrap_or_default();
        let expected = Expectations::new(ISSUER, CLIENT_ID, NONCE, now)
            .access_token(Some("mF_9.B5f-4.1JqM"))
            .algorithms(&[Algorithm::RS256, Algorithm::ES256]);
        let (verified, stack) =
            measure(|| verify_id_token(id_token, &expected, &keys, &mut scratch).is_ok());
        hprintln!(
            "verify_id_token ({}): {}, stack {} bytes",
            alg,
            verified,
            stack
        );
        ok &= verified;
        #[cfg(feature = "ecdsa")]
        if *alg == "ES256" {
            ok &= p256_alone(id_token);
        }
    }
    exit(ok)
}

/// The `p256` crate's verification of the ES256 token's signature, with nothing around it.
#[cfg(feature = "ecdsa")]
#[inline(never)]
fn p256_alone(id_token: &str) -> bool {
    use base64ct::{Base64UrlUnpadded, Encoding};
    use p256::ecdsa::signature::Verifier;
    let Some((input, signature)) = id_token.rsplit_once('.') else {
        return false;
    };
    let (mut x, mut y, mut sig) = ([0u8; 32], [0u8; 32], [0u8; 64]);
    let decoded = Base64UrlUnpadded::decode("9lRAIwP0PocZa0g8sVWoByp6-h3phgmihAiBPj-K2ko", &mut x)
        .and(Base64UrlUnpadded::decode(
            "eD88bfKqkIk-9zjqimoVqIlpQiF6hcLXQAp-dEPKZLc",
            &mut y,
        ))
        .and(Base64UrlUnpadded::decode(signature, &mut sig));
    if decoded.is_err() {
        return false;
    }
    let mut sec1 = [4u8; 65];
    sec1[1..33].copy_from_slice(&x);
    sec1[33..].copy_from_slice(&y);
    let (Ok(key), Ok(sig)) = (
        p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1),
        p256::ecdsa::Signature::from_slice(&sig),
    ) else {
        return false;
    };
    // The key parsed beforehand, as a `Jwks` holds it: only the verification is measured.
    let (verified, stack) = measure(|| key.verify(input.as_bytes(), &sig).is_ok());
    hprintln!(
        "p256 VerifyingKey::verify: {}, stack {} bytes",
        verified,
        stack
    );
    verified
}

fn exit(success: bool) -> ! {
    debug::exit(if success {
        debug::EXIT_SUCCESS
    } else {
        debug::EXIT_FAILURE
    });
    loop {
        cortex_m::asm::bkpt();
    }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    exit(false)
}

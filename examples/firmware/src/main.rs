//! implicit-grant on a microcontroller: a `#![no_std]` `#![no_main]` Cortex-M4 firmware,
//! with no global allocator, that runs `begin` and `complete` (RS256 and ES256 ID tokens
//! signed by `gen_fixture.py`) and reports each call's stack depth, measured by painting
//! the unused stack before the call and finding the deepest word it overwrote.
//!
//! Run under QEMU: `cargo run --release` (see `.cargo/config.toml`).
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
    }
    exit(ok)
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

//! Constant-time checks, dudect style (Reparaz, Balasch, Verbauwhede 2017): the `state`
//! comparison and the HMAC tag comparison are timed on two classes of inputs that both
//! fail, one differing from the expected value in its first byte and one in its last. An
//! early-exit comparison is faster for the first class; a constant-time one is not. Welch's
//! t-test over millions of measurements (cropped at several percentiles, as dudect does)
//! says which: |t| above 4.5 is evidence of a leak, above 10 is certain.
//!
//! A naive `==` on the same inputs runs alongside as the control that shows the harness
//! can see a leak; `CT_SAME=1` gives both classes the same input, which shows the
//! harness's own noise floor. Run: `cargo bench --bench ct` (`CT_SAMPLES=N` sets the count).
//! Exits non-zero if a crate comparison shows |t| > 10.

use std::hint::black_box;

use implicit_grant::SignatureVerifier;
use implicit_grant::jwt::{Header, decode_header};
use implicit_grant::verify::HmacKey;
use implicit_grant::{AuthorizationResponse, parse_fragment};

const STATE: &str = "nbV4dtB8_7jVOQ3ggcpwc7D5Y7wbRhSFG7Bea4wclpA";
const SECRET: &[u8] = b"a shared secret of 32 bytes or more!";

/// Cycle counter (x86_64; fenced, so that nothing before it bleeds into the interval) or
/// nanoseconds elsewhere.
#[inline(always)]
fn now() -> u64 {
    #[cfg(target_arch = "x86_64")]
    {
        use core::arch::x86_64::{_mm_lfence, _rdtsc};
        // SAFETY: LFENCE and RDTSC have no preconditions on x86_64.
        unsafe {
            _mm_lfence();
            let t = _rdtsc();
            _mm_lfence();
            t
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        use std::time::{SystemTime, UNIX_EPOCH};
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
    }
}

/// SplitMix64, for the class draws.
struct SplitMix(u64);

impl SplitMix {
    fn bit(&mut self) -> bool {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) >> 63 == 1
    }
}

/// Welch's t of two samples.
fn welch(a: &[u64], b: &[u64]) -> f64 {
    let stats = |s: &[u64]| {
        let n = s.len() as f64;
        let mean = s.iter().map(|&x| x as f64).sum::<f64>() / n;
        let var = s.iter().map(|&x| (x as f64 - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (n, mean, var)
    };
    let ((na, ma, va), (nb, mb, vb)) = (stats(a), stats(b));
    (ma - mb) / (va / na + vb / nb).sqrt()
}

/// Times `f` on `inputs[class]` `samples` times, classes drawn at random. As in dudect,
/// the inputs of a batch are laid out before it is timed, so nothing in the timed loop
/// depends on the class. Returns the largest |t| over the uncropped data and the crops at
/// the 50th, 75th, 90th and 99th percentiles.
fn dudect(samples: usize, inputs: [&[u8]; 2], mut f: impl FnMut(&[u8]) -> bool) -> f64 {
    const BATCH: usize = 100_000;
    let len = inputs[0].len();
    let mut rng = SplitMix(0x0123_4567_89AB_CDEF);
    let mut times: [Vec<u64>; 2] = [Vec::new(), Vec::new()];
    let mut data = vec![0u8; BATCH * len];
    let mut elapsed = vec![0u64; BATCH];
    // One batch more than asked: the first warms caches and predictors up, uncounted.
    for batch in 0..=samples.div_ceil(BATCH) {
        let classes: Vec<bool> = (0..BATCH).map(|_| rng.bit()).collect();
        for (slot, &class) in data.chunks_exact_mut(len).zip(&classes) {
            slot.copy_from_slice(inputs[usize::from(class)]);
        }
        for (input, t) in data.chunks_exact(len).zip(elapsed.iter_mut()) {
            let start = now();
            black_box(f(black_box(input)));
            *t = now().wrapping_sub(start);
        }
        if batch > 0 {
            for (&class, &t) in classes.iter().zip(&elapsed) {
                times[usize::from(class)].push(t);
            }
        }
    }
    let mut all: Vec<u64> = times.iter().flatten().copied().collect();
    all.sort_unstable();
    let mut worst = welch(&times[0], &times[1]).abs();
    for pct in [50, 75, 90, 99] {
        let cut = all[all.len() * pct / 100];
        let keep = |s: &[u64]| s.iter().copied().filter(|&x| x <= cut).collect::<Vec<_>>();
        worst = worst.max(welch(&keep(&times[0]), &keep(&times[1])).abs());
    }
    worst
}

/// `bytes` with the byte at `at` changed.
fn changed(bytes: &[u8], at: usize) -> Vec<u8> {
    let mut out = bytes.to_vec();
    out[at] ^= 1;
    out
}

fn main() {
    let samples = std::env::var("CT_SAMPLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2_000_000);
    let same = std::env::var_os("CT_SAME").is_some();
    let mut failed = false;
    let mut report = |name: &str, t: f64, ours: bool| {
        let verdict = match t {
            t if t > 10.0 => "LEAK",
            t if t > 4.5 => "possible leak",
            _ => "no leak detected",
        };
        println!("{name:<40} max |t| = {t:>8.2}  {verdict}");
        failed |= ours && t > 10.0;
    };

    // The response's state against two wrong expectations.
    let fragment = format!("state={STATE}");
    let Ok(AuthorizationResponse::Success(response)) = parse_fragment(&fragment) else {
        panic!("the fragment parses")
    };
    let received = response.state.unwrap().expose_secret();
    let last = STATE.len() - 1;
    let expected = [
        changed(STATE.as_bytes(), 0),
        changed(STATE.as_bytes(), if same { 0 } else { last }),
    ];
    let inputs = [&expected[0][..], &expected[1][..]];
    report(
        "state: RawValue::ct_eq_decoded",
        dudect(samples, inputs, |e| {
            received.ct_eq_decoded(std::str::from_utf8(e).unwrap_or_default())
        }),
        true,
    );
    report(
        "control: == on the same strings",
        dudect(samples, inputs, |e| received.as_encoded().as_bytes() == e),
        false,
    );

    // An HMAC tag wrong in its first or its last byte.
    let key = HmacKey::hs256(SECRET).unwrap();
    let mut scratch = [0u8; 64];
    let header: Header<'_> = decode_header("eyJhbGciOiJIUzI1NiJ9.e30.c2ln", &mut scratch).unwrap();
    let input = b"eyJhbGciOiJIUzI1NiJ9.e30";
    let good = {
        use hmac::{Hmac, KeyInit, Mac};
        let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(SECRET).unwrap();
        mac.update(input);
        mac.finalize().into_bytes().to_vec()
    };
    let tags = [changed(&good, 0), changed(&good, if same { 0 } else { 31 })];
    let inputs = [&tags[0][..], &tags[1][..]];
    report(
        "HMAC tag: HmacKey::verify (HS256)",
        dudect(samples, inputs, |tag| {
            key.verify(&header, input, tag).is_ok()
        }),
        true,
    );
    report(
        "control: == on the tags",
        dudect(samples, inputs, |tag| good == tag),
        false,
    );
    if failed {
        std::process::exit(1);
    }
}

//! Differential: the crate's Montgomery exponentiation (RSA verification's `s^e mod n`)
//! against crypto-bigint, for odd moduli of every size class up to 4096 bits, with the top
//! and low words at their extremes, and any exponent. `fuzz/run.sh` runs it twice: with
//! 64-bit words and, under `--cfg implicit_grant_word32`, with 32-bit ones
//! (`EXPECT_WORD_BITS` checks which build runs).
#![no_main]

use crypto_bigint::modular::{FixedMontyForm, FixedMontyParams};
use crypto_bigint::{Odd, U4096};
use implicit_grant::verify::__montgomery::{WORD_BITS, modpow};
use libfuzzer_sys::fuzz_target;

/// Sizes in bits: word and byte boundaries on either side of each RSA size.
const SIZES: [usize; 16] = [
    8, 31, 32, 33, 64, 65, 127, 512, 1024, 2047, 2048, 2049, 3072, 3073, 4095, 4096,
];

fuzz_target!(|data: &[u8]| {
    if let Ok(bits) = std::env::var("EXPECT_WORD_BITS") {
        assert_eq!(bits, WORD_BITS.to_string(), "the build runs other words");
    }
    let [size, shape, e0, e1, e2, e3, rest @ ..] = data else {
        return;
    };
    let bits = SIZES[usize::from(*size) % SIZES.len()];
    let len = bits.div_ceil(8);
    // The modulus: input bytes, cycled to length, then shaped.
    let mut n: Vec<u8> = rest.iter().copied().cycle().take(len).collect();
    if n.len() < len {
        n = vec![0xA5; len];
    }
    let top_shift = (8 - bits % 8) % 8;
    n[0] = (n[0] | 0x80) >> top_shift;
    match shape % 4 {
        // All ones: the largest modulus of its size.
        1 => n.iter_mut().skip(1).for_each(|b| *b = 0xFF),
        // The low word 1: n ≡ 1 mod 2^w, n0⁻¹ = −1.
        2 => {
            let low = len.saturating_sub(8).max(1);
            n[low..].iter_mut().for_each(|b| *b = 0);
        }
        // The top word at its minimum below the set bit.
        3 => n.iter_mut().skip(1).take(7).for_each(|b| *b = 0),
        _ => {}
    }
    n[len - 1] |= 1;
    // The base: the input again, reversed, kept below n (or, one time in 8, not).
    let mut base: Vec<u8> = rest.iter().rev().copied().cycle().take(len).collect();
    if base.len() < len {
        base = vec![0x5A; len];
    }
    let below = shape & 0x70 != 0x70;
    if below {
        base[0] &= n[0] >> 1;
    } else {
        base[0] |= n[0];
    }
    let e = u32::from_be_bytes([*e0, *e1, *e2, *e3]);

    let mut ours = vec![0u8; len];
    let result = modpow(&n, &base, e, &mut ours);
    let ge = base.as_slice() >= n.as_slice();
    if e == 0 || ge {
        // Refused: e = 0 (RSA never has it), or base ≥ n (RFC 8017 §5.2.2 step 1).
        assert!(
            result.is_none(),
            "accepted {bits} bits, e = {e}, base ≥ n: {ge}"
        );
        return;
    }
    assert!(result.is_some(), "refused {bits} bits, e = {e}");
    let reference = {
        let pad = |x: &[u8]| {
            let mut out = vec![0u8; 512 - x.len()];
            out.extend_from_slice(x);
            U4096::from_be_slice(&out)
        };
        let params = FixedMontyParams::new_vartime(Odd::new(pad(&n)).unwrap());
        let y = FixedMontyForm::new(&pad(&base), &params)
            .pow_bounded_exp(&U4096::from_u32(e), 32)
            .retrieve()
            .to_be_bytes();
        y[512 - len..].to_vec()
    };
    assert_eq!(ours, reference, "{bits} bits, e = {e}, shape {shape}");
});

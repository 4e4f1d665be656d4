//! Modular exponentiation by a public exponent, for RSA verification (RFC 8017 §5.2.2):
//! Montgomery multiplication (CIOS, one pass per word of the multiplier) over a modulus of
//! up to 4096 bits. The number of words follows the modulus, so a 2048-bit key pays for
//! 2048-bit products; one code path serves every size, which keeps the crate small on
//! wasm32 and microcontrollers.
//!
//! Everything here is variable-time: the modulus, the exponent and the signature are public.

use core::cell::Cell;

/// A machine word: 64 bits where the target multiplies 64 × 64 → 128 natively, else 32.
/// `--cfg implicit_grant_word32` forces 32-bit words on any target, so that the fuzz step
/// checks both word sizes on one machine.
#[cfg(all(target_pointer_width = "64", not(implicit_grant_word32)))]
type Word = u64;
#[cfg(all(target_pointer_width = "64", not(implicit_grant_word32)))]
type Wide = u128;
#[cfg(not(all(target_pointer_width = "64", not(implicit_grant_word32))))]
type Word = u32;
#[cfg(not(all(target_pointer_width = "64", not(implicit_grant_word32))))]
type Wide = u64;

/// For the crate's own fuzz targets only (`cargo fuzz` sets `--cfg fuzzing`): `base^e mod
/// n` as RSA verification computes it, and the word size in use.
#[cfg(fuzzing)]
pub mod fuzzing {
    /// Bits per word of the arithmetic.
    pub const WORD_BITS: u32 = super::Word::BITS;

    /// `base^e mod n`, big-endian, into all of `out`; `None` where [`super::Modulus::new`]
    /// or `pow` refuses (even or oversized `n`, `base ≥ n`, `e = 0`, `out` too short).
    pub fn modpow(n: &[u8], base: &[u8], e: u32, out: &mut [u8]) -> Option<()> {
        super::Modulus::new(n)?.pow(base, e, out)
    }
}

const WORD_BYTES: usize = (Word::BITS / 8) as usize;
/// Words of the longest modulus (4096 bits).
pub(crate) const MAX_WORDS: usize = 512 / WORD_BYTES;

/// A number of up to 4096 bits, least significant word first.
type Digits = [Word; MAX_WORDS];

/// An odd modulus with what Montgomery multiplication needs, computed once per key.
#[derive(Clone)]
pub(crate) struct Modulus {
    n: Digits,
    /// Words in use.
    len: usize,
    /// `-n⁻¹ mod 2^w`.
    n0_inv: Word,
    /// `R² mod n`, `R = 2^(w·len)`: multiplying by it enters the Montgomery domain.
    r2: Digits,
}

impl Modulus {
    /// The modulus of big-endian `bytes` (at most 512, first byte non-zero); `None` if it
    /// is even, longer than 4096 bits or less than 2.
    pub(crate) fn new(bytes: &[u8]) -> Option<Self> {
        let mut n = [0; MAX_WORDS];
        let mut len = from_be(bytes, &mut n)?;
        while len > 0 && n.get(len.saturating_sub(1)) == Some(&0) {
            len = len.saturating_sub(1);
        }
        let n0 = *n.first()?;
        if n0 % 2 == 0 || len == 0 || (len == 1 && n0 == 1) {
            return None;
        }
        // Newton's iteration doubles the correct low bits: 3 (odd n0 is its own inverse
        // mod 8) → 6 → 12 → 24 → 48 → 96.
        let inv = (0..5).fold(n0, |x, _| {
            x.wrapping_mul(2)
                .wrapping_sub(n0.wrapping_mul(x).wrapping_mul(x))
        });
        let mut m = Self {
            n,
            len,
            n0_inv: inv.wrapping_neg(),
            r2: [0; MAX_WORDS],
        };
        m.r2 = m.r_squared()?;
        Some(m)
    }

    /// `R² mod n`, by square-and-double in the Montgomery domain: `2^k · R mod n` is the
    /// form of `2^k`; squaring it doubles `k`, doubling it adds one, up to `k = w·len`,
    /// where the form of `2^(w·len) = R` is `R² mod n`.
    fn r_squared(&self) -> Option<Digits> {
        let exponent = u32::try_from(self.len.checked_mul(Word::BITS as usize)?).ok()?;
        // The exponent's top 7 bits (64 to 127) are reached by doublings, each far cheaper
        // than a product; its remaining low bits by squarings.
        let squarings = exponent.checked_ilog2()?.saturating_sub(6);
        let head = exponent.checked_shr(squarings)?;
        // From 2^(bits - 1) < n, the largest power of two below n, double up to the form
        // of 2^head: 2^(w·len + head) mod n.
        let top = self.bits().checked_sub(1)?;
        let mut x = [0; MAX_WORDS];
        let bit = u32::try_from(top.checked_rem(Word::BITS as usize)?).ok()?;
        *x.get_mut(top.checked_div(Word::BITS as usize)?)? = Word::from(1u8).wrapping_shl(bit);
        let doublings = usize::try_from(exponent.checked_add(head)?)
            .ok()?
            .checked_sub(top)?;
        for _ in 0..doublings {
            self.double(&mut x);
        }
        for bit in (0..squarings).rev() {
            x = self.mul(&x, &x);
            if (exponent >> bit) & 1 == 1 {
                self.double(&mut x);
            }
        }
        Some(x)
    }

    /// Significant bits of `n`.
    fn bits(&self) -> usize {
        let words = self.n.get(..self.len).unwrap_or_default();
        let top = words.last().copied().unwrap_or(0);
        (self.len.saturating_mul(Word::BITS as usize)).saturating_sub(top.leading_zeros() as usize)
    }

    /// `x ← 2x mod n`, for `x < n`.
    fn double(&self, x: &mut Digits) {
        let mut carry = 0;
        for w in x.iter_mut().take(self.len) {
            let next = *w >> (Word::BITS - 1);
            *w = (*w << 1) | carry;
            carry = next;
        }
        if carry == 1 || !less(x, &self.n, self.len) {
            sub_in_place(x, &self.n, self.len);
        }
    }

    /// `a · b · R⁻¹ mod n`, for `a, b < n` (CIOS: each word of `b` adds `a · b[i]`, then a
    /// multiple of `n` that clears the lowest word, which is dropped).
    fn mul(&self, a: &Digits, b: &Digits) -> Digits {
        let len = self.len;
        let (a, n, b) = (head(a, len), head(&self.n, len), head(b, len));
        // The running sum stays below 2n: `len` words and one bit above them.
        let mut sum = [0 as Word; MAX_WORDS + 1];
        let t = Cell::from_mut(sum.get_mut(..=len).unwrap_or_default()).as_slice_of_cells();
        let (Some((&a0, a_rest)), Some((&n0, n_rest))) = (a.split_first(), n.split_first()) else {
            return [0; MAX_WORDS];
        };
        let (Some((t0, t_rest)), Some((top, t_low))) = (t.split_first(), t.split_last()) else {
            return [0; MAX_WORDS];
        };
        for &bi in b {
            let m = t0
                .get()
                .wrapping_add(a0.wrapping_mul(bi))
                .wrapping_mul(self.n0_inv);
            // t ← (t + a·bi + m·n) / 2^w: word j lands in word j - 1; word 0 becomes zero.
            let (zero, c1) = mac(t0.get(), a0, bi, 0);
            let (_, c2) = mac(zero, m, n0, 0);
            let (c1, c2) = a_rest.iter().zip(n_rest).zip(t_rest).zip(t_low).fold(
                (c1, c2),
                |(c1, c2), (((&aj, &nj), src), dst)| {
                    let (lo, c1) = mac(src.get(), aj, bi, c1);
                    let (lo, c2) = mac(lo, m, nj, c2);
                    dst.set(lo);
                    (c1, c2)
                },
            );
            let (lo, hi) = add3(top.get(), c1, c2);
            if let Some(last) = t_low.last() {
                last.set(lo);
            }
            top.set(hi);
        }
        let mut out = [0; MAX_WORDS];
        out.iter_mut().zip(t_low).for_each(|(o, c)| *o = c.get());
        if top.get() != 0 || !less(&out, &self.n, len) {
            sub_in_place(&mut out, &self.n, len);
        }
        out
    }

    /// `base^e mod n` for big-endian `base` (fewer bytes than words allow), written
    /// big-endian into all of `out`; `None` if `base ≥ n` or `out` is too short.
    pub(crate) fn pow(&self, base: &[u8], e: u32, out: &mut [u8]) -> Option<()> {
        let mut s = [0; MAX_WORDS];
        from_be(base, &mut s)?;
        if !less(&s, &self.n, self.len) {
            return None;
        }
        let form = self.mul(&s, &self.r2);
        let mut acc = form;
        for bit in (0..e.checked_ilog2()?).rev() {
            acc = self.mul(&acc, &acc);
            if (e >> bit) & 1 == 1 {
                acc = self.mul(&acc, &form);
            }
        }
        let mut one = [0; MAX_WORDS];
        *one.first_mut()? = 1;
        to_be(&self.mul(&acc, &one), out)
    }
}

/// The low `len` words of `x`.
fn head(x: &Digits, len: usize) -> &[Word] {
    x.get(..len).unwrap_or_default()
}

/// `t + a·b + c` as (low, high) words: at most `2^(2w) - 1`, so the wrapping operations
/// never wrap.
fn mac(t: Word, a: Word, b: Word, c: Word) -> (Word, Word) {
    let wide = Wide::from(a)
        .wrapping_mul(Wide::from(b))
        .wrapping_add(Wide::from(t))
        .wrapping_add(Wide::from(c));
    (wide as Word, (wide >> Word::BITS) as Word)
}

/// `a + b + c` as (low, high) words.
fn add3(a: Word, b: Word, c: Word) -> (Word, Word) {
    let wide = Wide::from(a)
        .wrapping_add(Wide::from(b))
        .wrapping_add(Wide::from(c));
    (wide as Word, (wide >> Word::BITS) as Word)
}

/// `x < y` over the low `len` words.
fn less(x: &Digits, y: &Digits, len: usize) -> bool {
    let (x, y) = (x.iter().take(len).rev(), y.iter().take(len).rev());
    x.cmp(y).is_lt()
}

/// `x ← x - y` over the low `len` words (modulo `2^(w·len)`).
fn sub_in_place(x: &mut Digits, y: &Digits, len: usize) {
    let mut borrow = false;
    for (xi, &yi) in x.iter_mut().zip(y).take(len) {
        let (d, b1) = xi.overflowing_sub(yi);
        let (d, b2) = d.overflowing_sub(Word::from(borrow));
        *xi = d;
        borrow = b1 | b2;
    }
}

/// Reads big-endian `bytes` into `out`; the number of words used, `None` if too long.
fn from_be(bytes: &[u8], out: &mut Digits) -> Option<usize> {
    let mut chunks = bytes.rchunks(WORD_BYTES);
    let mut len = 0usize;
    for word in out.iter_mut() {
        let Some(chunk) = chunks.next() else { break };
        *word = chunk.iter().fold(0, |acc, &b| (acc << 8) | Word::from(b));
        len = len.saturating_add(1);
    }
    chunks.next().is_none().then_some(len)
}

/// Writes `x` big-endian into all of `out`; `None` if it does not fit.
fn to_be(x: &Digits, out: &mut [u8]) -> Option<()> {
    let mut bytes = x.iter().flat_map(|w| w.to_le_bytes());
    for slot in out.iter_mut().rev() {
        *slot = bytes.next().unwrap_or(0);
    }
    bytes.all(|b| b == 0).then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crypto_bigint::modular::{FixedMontyForm, FixedMontyParams};
    use crypto_bigint::{Odd, U4096};

    struct Rng(u64);

    impl Rng {
        fn bytes(&mut self, len: usize) -> std::vec::Vec<u8> {
            (0..len)
                .map(|_| {
                    self.0 ^= self.0 << 13;
                    self.0 ^= self.0 >> 7;
                    self.0 ^= self.0 << 17;
                    self.0.to_le_bytes()[3]
                })
                .collect()
        }
    }

    /// `base^e mod n` by crypto-bigint, big-endian in `len` bytes.
    fn reference(n: &[u8], base: &[u8], e: u32, len: usize) -> std::vec::Vec<u8> {
        let n = Odd::new(U4096::from_be_slice(&pad(n))).unwrap();
        let params = FixedMontyParams::new_vartime(n);
        let x = FixedMontyForm::new(&U4096::from_be_slice(&pad(base)), &params);
        let y = x.pow(&U4096::from_u32(e)).retrieve().to_be_bytes();
        y[y.len().saturating_sub(len)..].to_vec()
    }

    fn pad(x: &[u8]) -> std::vec::Vec<u8> {
        let mut out = std::vec![0u8; 512usize.saturating_sub(x.len())];
        out.extend_from_slice(x);
        out
    }

    /// Random odd moduli of every awkward size (one word, a word and a bit, RSA sizes and
    /// one bit over them), random bases below them, small and large exponents: the carries of
    /// the Montgomery reduction and of `R² mod n` are exercised against an independent
    /// implementation.
    #[test]
    #[cfg_attr(miri, ignore)] // thousands of 4096-bit products: hours under Miri
    fn agrees_with_crypto_bigint() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for bits in [64usize, 65, 127, 512, 2048, 2049, 3072, 3073, 4095, 4096] {
            for round in 0..6 {
                let len = bits.div_ceil(8);
                let mut n = rng.bytes(len);
                n[0] = (n[0] | 0x80) >> ((8 - bits % 8) % 8);
                n[len - 1] |= 1;
                if round == 0 {
                    // All ones: the largest modulus of its size.
                    n.iter_mut().for_each(|b| *b = 0xFF);
                    n[0] >>= (8 - bits % 8) % 8;
                }
                let m = Modulus::new(&n).unwrap();
                let mut base = rng.bytes(len);
                base[0] &= n[0] >> 1;
                for e in [3, 65537, u32::from(rng.bytes(1)[0]) << 8 | 1] {
                    let mut out = std::vec![0u8; len];
                    m.pow(&base, e, &mut out).unwrap();
                    assert_eq!(out, reference(&n, &base, e, len), "{bits} bits, e = {e}");
                }
            }
        }
    }

    #[test]
    fn refuses_even_moduli_and_bases_not_below_the_modulus() {
        assert!(Modulus::new(&[0x80, 0x02]).is_none());
        assert!(Modulus::new(&[1]).is_none());
        assert!(Modulus::new(&[0; 513]).is_none());
        let m = Modulus::new(&[0xC3, 0x51]).unwrap();
        let mut out = [0u8; 2];
        assert!(m.pow(&[0xC3, 0x51], 3, &mut out).is_none());
        assert!(m.pow(&[0xC3, 0x52], 3, &mut out).is_none());
        m.pow(&[0xC3, 0x50], 3, &mut out).unwrap();
        // (n - 1)^3 = -1 mod n
        assert_eq!(out, [0xC3, 0x50]);
    }
}

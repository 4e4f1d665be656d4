//! Modular exponentiation by a public exponent, for RSA verification (RFC 8017 §5.2.2):
//! Montgomery multiplication over a modulus of up to 4096 bits: a schoolbook product
//! (squarings take each cross product once), then a reduction that sums each column in
//! registers (product scanning). With e = 65537, a verification is 16 squarings and 2
//! products. The number of words follows the modulus, so a 2048-bit key pays for
//! 2048-bit products; one code path serves every size, which keeps the crate small on
//! wasm32 and microcontrollers.
//!
//! Everything here is variable-time: the modulus, the exponent and the signature are public.

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
    /// No modulus yet: what [`Self::init`] fills in place.
    pub(crate) const EMPTY: Self = Self {
        n: [0; MAX_WORDS],
        len: 0,
        n0_inv: 0,
        r2: [0; MAX_WORDS],
    };

    /// The modulus of big-endian `bytes` (at most 512, first byte non-zero); `None` if it
    /// is even, longer than 4096 bits or less than 2.
    #[cfg(any(fuzzing, test))]
    pub(crate) fn new(bytes: &[u8]) -> Option<Self> {
        let mut m = Self::EMPTY;
        m.init(bytes)?;
        Some(m)
    }

    /// Makes this the modulus of big-endian `bytes`, in place (a key set builds its keys
    /// where they are stored: no 1 KB copies on the stack); `None`, leaving the modulus
    /// unusable, if it is even, longer than 4096 bits or less than 2.
    pub(crate) fn init(&mut self, bytes: &[u8]) -> Option<()> {
        self.len = 0;
        self.n = [0; MAX_WORDS];
        let mut len = from_be(bytes, &mut self.n)?;
        while len > 0 && self.n.get(len.saturating_sub(1)) == Some(&0) {
            len = len.saturating_sub(1);
        }
        let n0 = *self.n.first()?;
        if n0 % 2 == 0 || len == 0 || (len == 1 && n0 == 1) {
            return None;
        }
        // Newton's iteration doubles the correct low bits: 3 (odd n0 is its own inverse
        // mod 8) → 6 → 12 → 24 → 48 → 96.
        let inv = (0..5).fold(n0, |x, _| {
            x.wrapping_mul(2)
                .wrapping_sub(n0.wrapping_mul(x).wrapping_mul(x))
        });
        self.n0_inv = inv.wrapping_neg();
        self.len = len;
        let mut r2 = [0; MAX_WORDS];
        let computed = self.r_squared(&mut r2);
        self.r2 = r2;
        if computed.is_none() {
            self.len = 0;
        }
        computed
    }

    /// `x ← R² mod n`, by square-and-double in the Montgomery domain: `2^k · R mod n` is
    /// the form of `2^k`; squaring it doubles `k`, doubling it adds one, up to `k = w·len`,
    /// where the form of `2^(w·len) = R` is `R² mod n`.
    fn r_squared(&self, x: &mut Digits) -> Option<()> {
        let exponent = u32::try_from(self.len.checked_mul(Word::BITS as usize)?).ok()?;
        // The exponent's top 7 bits (64 to 127) are reached by doublings, each far cheaper
        // than a product; its remaining low bits by squarings.
        let squarings = exponent.checked_ilog2()?.saturating_sub(6);
        let head = exponent.checked_shr(squarings)?;
        // From 2^(bits - 1) < n, the largest power of two below n, double up to the form
        // of 2^head: 2^(w·len + head) mod n.
        let top = self.bits().checked_sub(1)?;
        let bit = u32::try_from(top.checked_rem(Word::BITS as usize)?).ok()?;
        *x.get_mut(top.checked_div(Word::BITS as usize)?)? = Word::from(1u8).wrapping_shl(bit);
        let doublings = usize::try_from(exponent.checked_add(head)?)
            .ok()?
            .checked_sub(top)?;
        for _ in 0..doublings {
            self.double(x);
        }
        for bit in (0..squarings).rev() {
            self.sqr(x);
            if (exponent >> bit) & 1 == 1 {
                self.double(x);
            }
        }
        Some(())
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

    /// `a ← a · b · R⁻¹ mod n`, for `a, b < n`.
    fn mul(&self, a: &mut Digits, b: &Digits) {
        let len = self.len;
        let mut wide = [0 as Word; 2 * MAX_WORDS];
        for (i, &ai) in head(a, len).iter().enumerate() {
            add_row(wide.get_mut(i..).unwrap_or_default(), ai, head(b, len));
        }
        self.reduce(&wide, a);
    }

    /// `a ← a² · R⁻¹ mod n`, for `a < n`: each cross product `a[i]·a[j]`, `i < j`, is
    /// taken once and doubled, which saves a quarter of the word products of [`Self::mul`]
    /// (half of the product, none of the reduction); RSA verification is almost only
    /// squarings.
    fn sqr(&self, a: &mut Digits) {
        let len = self.len;
        let mut wide = [0 as Word; 2 * MAX_WORDS];
        let square = wide.get_mut(..len.saturating_mul(2)).unwrap_or_default();
        let a_low = head(a, len);
        for (i, &ai) in a_low.iter().enumerate() {
            let row = square.get_mut(i.saturating_mul(2).saturating_add(1)..);
            add_row(
                row.unwrap_or_default(),
                ai,
                a_low.get(i.saturating_add(1)..).unwrap_or_default(),
            );
        }
        // Doubled, plus the squares a[i]² at words 2i and 2i + 1.
        let (mut shifted, mut carry) = (0, 0);
        for (pair, &ai) in square.chunks_exact_mut(2).zip(a_low) {
            if let [low, high] = pair {
                let (l, h) = (*low, *high);
                let mut column = Column::default();
                column.mac(ai, ai);
                column.add_word(carry);
                column.add_word((l << 1) | shifted);
                *low = column.shift();
                column.add_word((h << 1) | (l >> (Word::BITS - 1)));
                shifted = h >> (Word::BITS - 1);
                *high = column.shift();
                carry = column.shift();
            }
        }
        self.reduce(&wide, a);
    }

    /// `out ← t · R⁻¹ mod n` for a product `t < n²` of `2·len` words (Montgomery
    /// reduction by product scanning, Koç, Acar and Kaliski's FIPS): column by column,
    /// the multiples `m[i]·n` that clear the low words are summed with `t`, and the high
    /// columns are the result, below `2n` before one subtraction. Three words carry a
    /// column's sum: no carry runs through memory.
    fn reduce(&self, t: &[Word; 2 * MAX_WORDS], out: &mut Digits) {
        let len = self.len;
        let n = head(&self.n, len);
        let Some(&n0) = n.first() else { return };
        // m[i] at len - 1 - i, so that m[i]·n[k - i] pairs two ascending runs; from
        // column len on, the result takes the places of the multiples no longer needed.
        let mut words = [0 as Word; MAX_WORDS];
        let m_rev = words.get_mut(..len).unwrap_or_default();
        let mut column = Column::default();
        let mut t = t.iter();
        for k in 0..len {
            column.add_word(t.next().copied().unwrap_or(0));
            let (rest, done) = m_rev.split_at_mut(len.saturating_sub(k));
            column.dot(done, n.get(1..).unwrap_or_default());
            let m = (column.low as Word).wrapping_mul(self.n0_inv);
            column.mac(m, n0);
            if let Some(slot) = rest.last_mut() {
                *slot = m;
            }
            column.shift();
        }
        for k in len..len.saturating_mul(2) {
            column.add_word(t.next().copied().unwrap_or(0));
            // m[i] for i > k - len: the first 2·len - 1 - k places.
            let (live, rest) =
                m_rev.split_at_mut(len.saturating_mul(2).saturating_sub(k.saturating_add(1)));
            let from = k.saturating_add(1).saturating_sub(len);
            column.dot(live, n.get(from..).unwrap_or_default());
            if let Some(slot) = rest.first_mut() {
                *slot = column.shift();
            }
        }
        let top = column.shift();
        out.iter_mut()
            .zip(m_rev.iter().rev())
            .for_each(|(word, &r)| *word = r);
        if top != 0 || !less(out, &self.n, len) {
            sub_in_place(out, &self.n, len);
        }
    }

    /// `base^e mod n` for big-endian `base` (fewer bytes than words allow), written
    /// big-endian into all of `out`; `None` if `base ≥ n` or `out` is too short.
    pub(crate) fn pow(&self, base: &[u8], e: u32, out: &mut [u8]) -> Option<()> {
        let mut s = [0; MAX_WORDS];
        from_be(base, &mut s)?;
        if !less(&s, &self.n, self.len) {
            return None;
        }
        let mut form = s;
        self.mul(&mut form, &self.r2);
        let mut acc = form;
        let top = e.checked_ilog2()?;
        for bit in (0..top).rev() {
            self.sqr(&mut acc);
            // The last factor of an odd exponent is taken outside the domain below: that
            // product leaves the domain too.
            if (e >> bit) & 1 == 1 && bit > 0 {
                self.mul(&mut acc, &form);
            }
        }
        if top == 0 || e & 1 == 0 {
            // Leave the domain: multiply by 1.
            s = [0; MAX_WORDS];
            *s.first_mut()? = 1;
        }
        // acc · s · R⁻¹: s^(e-1)·R · s · R⁻¹ = s^e for odd e > 1; acc · 1 · R⁻¹ otherwise.
        self.mul(&mut acc, &s);
        to_be(&acc, out)
    }
}

/// `t ← t + x · y`, for `t` at least one word longer than `y`: the word after the product
/// is assigned (rows of a schoolbook product are added in order, each one word further).
fn add_row(t: &mut [Word], x: Word, y: &[Word]) {
    let carry = t.iter_mut().zip(y).fold(0, |carry, (ti, &yi)| {
        let wide = Wide::from(x)
            .wrapping_mul(Wide::from(yi))
            .wrapping_add(Wide::from(*ti))
            .wrapping_add(Wide::from(carry));
        *ti = wide as Word;
        (wide >> Word::BITS) as Word
    });
    if let Some(next) = t.get_mut(y.len()) {
        *next = carry;
    }
}

/// A column sum of word products: `low + top · 2^(2w)`.
#[derive(Default)]
struct Column {
    low: Wide,
    top: Word,
}

impl Column {
    /// `+= a · b`.
    fn mac(&mut self, a: Word, b: Word) {
        let (low, carry) = self
            .low
            .overflowing_add(Wide::from(a).wrapping_mul(Wide::from(b)));
        self.low = low;
        self.top = self.top.wrapping_add(Word::from(carry));
    }

    /// `+= w`.
    fn add_word(&mut self, w: Word) {
        self.add(&Self {
            low: Wide::from(w),
            top: 0,
        });
    }

    /// `+= other`.
    fn add(&mut self, other: &Self) {
        let (low, carry) = self.low.overflowing_add(other.low);
        self.low = low;
        self.top = self
            .top
            .wrapping_add(other.top)
            .wrapping_add(Word::from(carry));
    }

    /// `+= Σ x[i] · y[i]` over the shorter of the two, in two independent sums (even and
    /// odd `i`) so that the processor overlaps their carry chains.
    fn dot(&mut self, x: &[Word], y: &[Word]) {
        let len = x.len().min(y.len());
        let (x, y) = (head(x, len), head(y, len));
        let mut odd = Self::default();
        let (xs, ys) = (x.chunks_exact(2), y.chunks_exact(2));
        let (x_end, y_end) = (xs.remainder(), ys.remainder());
        for (xp, yp) in xs.zip(ys) {
            if let ([x0, x1], [y0, y1]) = (xp, yp) {
                self.mac(*x0, *y0);
                odd.mac(*x1, *y1);
            }
        }
        if let ([x0], [y0]) = (x_end, y_end) {
            self.mac(*x0, *y0);
        }
        self.add(&odd);
    }

    /// Takes the lowest word out and moves the rest down one word.
    fn shift(&mut self) -> Word {
        let word = self.low as Word;
        self.low = (self.low >> Word::BITS) | (Wide::from(self.top) << Word::BITS);
        self.top = 0;
        word
    }
}

/// The low `len` words of `x` (none if it has fewer).
fn head(x: &[Word], len: usize) -> &[Word] {
    x.get(..len).unwrap_or_default()
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

//! The one place where secrets are compared (`state`, `nonce`, `at_hash`, HMAC tags).

use subtle::ConstantTimeEq;

/// Secret equality in constant time; only the (public) lengths may short-circuit.
#[must_use]
pub(crate) fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    bool::from(a.ct_eq(b))
}

/// [`ct_eq`] over a stream of bytes (a value decoded on the fly) against a stored secret.
///
/// Every byte of `stream` is consumed and compared; the result is read only at the end.
#[must_use]
pub(crate) fn ct_eq_stream(stream: impl Iterator<Item = u8>, expected: &[u8]) -> bool {
    let mut equal = subtle::Choice::from(1);
    let mut count = 0usize;
    let mut rest = expected.iter();
    for byte in stream {
        count = count.saturating_add(1);
        // Past the expected length the value differs anyway; keep consuming in the same shape.
        let want = rest.next().copied().unwrap_or(!byte);
        equal &= byte.ct_eq(&want);
    }
    bool::from(equal) && count == expected.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_and_one_bit_differences() {
        let a = *b"af0ifjsldkj-af0ifjsldkj";
        assert!(ct_eq(&a, &a));
        for i in [0, a.len() / 2, a.len() - 1] {
            let mut b = a;
            b[i] ^= 1;
            assert!(!ct_eq(&a, &b), "difference at {i}");
            assert!(
                !ct_eq_stream(b.iter().copied(), &a),
                "stream difference at {i}"
            );
        }
        assert!(!ct_eq(b"", b"a"));
        assert!(!ct_eq(b"ab", b"a"));
        assert!(ct_eq_stream(a.iter().copied(), &a));
        assert!(!ct_eq_stream(a[..3].iter().copied(), &a));
        assert!(!ct_eq_stream(
            b"af0ifjsldkj-af0ifjsldkjX".iter().copied(),
            &a
        ));
        assert!(ct_eq_stream(core::iter::empty(), b""));
    }
}

//! Byte scans over whole values (tokens, URLs, form pairs), written so that they compile
//! to SIMD compares: blocks of 16 bytes are tested without branches, with classes that are
//! range tests joined by `|` and `&` (no table, no `||`). JSON strings, whose stop bytes
//! are few and fixed, are scanned eight bytes at a time in a `u64` instead ([`string_run`]).
//!
//! On targets without SIMD (wasm32, Cortex-M) a block test unrolls into 16 byte tests, a
//! few hundred bytes of code per class: worth it where values are long (a kilobyte of
//! token), hardly for a forty-byte URL.

/// Whether every byte of `bytes` is in `class`.
pub(crate) fn all_bytes(bytes: &[u8], class: impl Fn(u8) -> bool) -> bool {
    let (blocks, rest) = bytes.as_chunks::<16>();
    // The bytes after the last whole block are tested as part of the last 16 bytes (some
    // twice), which keeps them in a SIMD compare too.
    let last = bytes
        .len()
        .checked_sub(16)
        .and_then(|start| bytes.get(start..))
        .and_then(|tail| <&[u8; 16]>::try_from(tail).ok());
    let tail_ok = match last {
        Some(block) => rest.is_empty() || !any_in(block, |b| !class(b)),
        None => rest.iter().all(|&b| class(b)),
    };
    tail_ok && blocks.iter().all(|block| !any_in(block, |b| !class(b)))
}

/// The length of the longest prefix of `bytes` without a byte of `stop`: whole blocks of 16
/// tested at once, the block with the first stop byte by byte.
pub(crate) fn prefix_len(bytes: &[u8], stop: impl Fn(u8) -> bool) -> usize {
    let (blocks, _) = bytes.as_chunks::<16>();
    let clear = blocks
        .iter()
        .take_while(|block| !any_in(block, &stop))
        .count()
        .saturating_mul(16);
    let rest = bytes.get(clear..).unwrap_or_default();
    clear.saturating_add(rest.iter().position(|&b| stop(b)).unwrap_or(rest.len()))
}

/// The index of the first `needle` in `bytes`, or its length: [`prefix_len`] for one byte,
/// one copy of the code for every byte searched.
pub(crate) fn find(bytes: &[u8], needle: u8) -> usize {
    prefix_len(bytes, |b| b == needle)
}

/// The length of the longest prefix of `bytes` that a JSON string can hold as it is: no `"`,
/// no `\\` and, with `controls`, no byte under 0x20 (RFC 8259 §7).
///
/// Eight bytes at a time in a `u64` (SWAR): the same code on targets without SIMD (wasm32,
/// Cortex-M), and the first hit's index comes straight from the mask, where a block scan
/// would look for it byte by byte.
pub(crate) fn string_run(bytes: &[u8], controls: bool) -> usize {
    let (words, rest) = bytes.as_chunks::<8>();
    let mut start = 0usize;
    for word in words {
        let hits = string_specials(u64::from_le_bytes(*word), controls);
        if hits != 0 {
            // The lowest flagged byte is the first hit; `trailing_zeros` is below 64.
            return start.saturating_add(usize::try_from(hits.trailing_zeros() / 8).unwrap_or(8));
        }
        start = start.saturating_add(8);
    }
    let special = |&b: &u8| (b == b'"') | (b == b'\\') | (controls & (b < 0x20));
    start.saturating_add(rest.iter().position(special).unwrap_or(rest.len()))
}

/// The high bit of each byte of `w` that is `"`, `\\` or (with `controls`) under 0x20. A
/// borrow can flag a byte above a true hit, never below one: the lowest flag is exact.
fn string_specials(w: u64, controls: bool) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u8| x.wrapping_sub(ONES.wrapping_mul(u64::from(n))) & !x & HIGHS;
    let quote = below(w ^ ONES.wrapping_mul(u64::from(b'"')), 1);
    let backslash = below(w ^ ONES.wrapping_mul(u64::from(b'\\')), 1);
    let control = if controls { below(w, 0x20) } else { 0 };
    quote | backslash | control
}

/// Whether any byte of `block` is in `class`.
fn any_in(block: &[u8; 16], class: impl Fn(u8) -> bool) -> bool {
    block.iter().fold(0u8, |any, &b| any | u8::from(class(b))) != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte value at every position of a word and of the tail, after every other
    /// byte value: the SWAR scan finds the first special byte as a byte loop does.
    // 900 K scans: hours under Miri, and the code has no `unsafe` for Miri to check.
    #[test]
    #[cfg_attr(miri, ignore)]
    fn string_run_agrees_with_a_byte_loop() {
        let special = |b: u8, controls: bool| b == b'"' || b == b'\\' || (controls && b < 0x20);
        for controls in [false, true] {
            for before in 0..=255u8 {
                for at in [0usize, 1, 6, 7, 8, 12, 17] {
                    for b in 0..=255u8 {
                        let mut text = [b'a'; 19];
                        text[..at].fill(if special(before, controls) {
                            b'a'
                        } else {
                            before
                        });
                        text[at] = b;
                        let expected = text.iter().position(|&c| special(c, controls));
                        assert_eq!(
                            string_run(&text, controls),
                            expected.unwrap_or(text.len()),
                            "{before:#x} then {b:#x} at {at}, controls {controls}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn scans_agree_with_the_plain_loops() {
        let text: std::vec::Vec<u8> = (0..100u8).map(|i| b'a' + i % 26).collect();
        for stop_at in [0, 1, 15, 16, 17, 31, 32, 33, 99] {
            let mut t = text.clone();
            t[stop_at] = b'"';
            assert_eq!(prefix_len(&t, |b| b == b'"'), stop_at);
            assert_eq!(string_run(&t, false), stop_at);
            assert!(!all_bytes(&t, |b| b.is_ascii_lowercase()));
        }
        assert_eq!(prefix_len(&text, |b| b == b'"'), text.len());
        assert_eq!(string_run(&text, true), text.len());
        assert!(all_bytes(&text, |b| b.is_ascii_lowercase()));
        assert!(all_bytes(b"", |_| false));
    }
}

//! Byte scans over whole values (tokens, URLs, JSON strings), written so that they compile
//! to SIMD compares: blocks of 16 bytes are tested without branches, with classes that are
//! range tests joined by `|` and `&` (no table, no `||`).

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

/// The length of the longest prefix of `bytes` without a byte of `stop`.
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

/// Whether any byte of `block` is in `class`.
fn any_in(block: &[u8; 16], class: impl Fn(u8) -> bool) -> bool {
    block.iter().fold(0u8, |any, &b| any | u8::from(class(b))) != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_agree_with_the_plain_loops() {
        let text: std::vec::Vec<u8> = (0..100u8).map(|i| b'a' + i % 26).collect();
        for stop_at in [0, 1, 15, 16, 17, 31, 32, 33, 99] {
            let mut t = text.clone();
            t[stop_at] = b'"';
            assert_eq!(prefix_len(&t, |b| b == b'"'), stop_at);
            assert!(!all_bytes(&t, |b| b.is_ascii_lowercase()));
        }
        assert_eq!(prefix_len(&text, |b| b == b'"'), text.len());
        assert!(all_bytes(&text, |b| b.is_ascii_lowercase()));
        assert!(all_bytes(b"", |_| false));
    }
}

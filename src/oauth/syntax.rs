//! Character classes of RFC 6749 Appendix A (ABNF) and the value grammars built on them.

// The classes are range tests joined by `|` and `&`, not `||` and `matches!`: branch-free,
// so that checking a whole value with them vectorizes.

/// `VSCHAR = %x20-7E`
pub(crate) const fn is_vschar(b: u8) -> bool {
    b.wrapping_sub(0x20) <= 0x7E - 0x20
}

/// `NQCHAR = %x21 / %x23-5B / %x5D-7E` (no space, `"` or `\`)
pub(crate) const fn is_nqchar(b: u8) -> bool {
    (b.wrapping_sub(0x21) <= 0x7E - 0x21) & (b != b'"') & (b != b'\\')
}

/// `NQSCHAR = %x20-21 / %x23-5B / %x5D-7E` (NQCHAR plus space)
pub(crate) const fn is_nqschar(b: u8) -> bool {
    (b == b' ') | is_nqchar(b)
}

/// base64url characters and the dots of a compact JWS.
pub(crate) const fn is_jws_char(b: u8) -> bool {
    ((b | 0x20).wrapping_sub(b'a') <= b'z' - b'a')
        | (b.wrapping_sub(b'0') <= 9)
        | (b == b'-')
        | (b == b'_')
        | (b == b'.')
}

/// A non-empty run of bytes all in `class`.
pub(crate) fn all_of(mut bytes: impl Iterator<Item = u8>, class: impl Fn(u8) -> bool) -> bool {
    let mut any = false;
    bytes.all(|b| {
        any = true;
        class(b)
    }) && any
}

/// A token endpoint's granted `scope` (a JSON string): RFC 6749 §3.3's list, or empty. The
/// grammar has no empty form, but oidc-provider sends `"scope":""` for an access token bound
/// to a resource none of whose scopes was asked: its meaning (no scope granted) is not in
/// doubt, and refusing it would cost a login whose code is already spent. (In a fragment,
/// an empty value counts as absent, as every empty parameter there.)
#[cfg(feature = "code")]
pub(crate) fn is_granted_scope(bytes: impl Iterator<Item = u8>) -> bool {
    let mut bytes = bytes.peekable();
    bytes.peek().is_none() || is_nqchar_list(bytes)
}

/// `1*NQCHAR *( SP 1*NQCHAR )`: a space-delimited list with no empty entry (RFC 6749 §3.3).
pub(crate) fn is_nqchar_list(bytes: impl Iterator<Item = u8>) -> bool {
    let mut prev_space = true;
    for b in bytes {
        let space = b == b' ';
        if (space && prev_space) || !(space || is_nqchar(b)) {
            return false;
        }
        prev_space = space;
    }
    !prev_space
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6749_3_3_lists() {
        let ok = |s: &str| is_nqchar_list(s.bytes());
        assert!(ok("openid profile"));
        assert!(ok("openid"));
        for bad in [
            "",
            " openid",
            "openid ",
            "openid  profile",
            "pro\"file",
            "a\\b",
        ] {
            assert!(!ok(bad), "{bad:?}");
        }
        assert!(all_of("ab".bytes(), is_vschar));
        assert!(!all_of("".bytes(), is_vschar));
        assert!(!all_of("a\nb".bytes(), is_vschar));
    }

    /// The response parser skips the VSCHAR scan of a value it saw to be only
    /// `unreserved` bytes: that is sound because each of them is a VSCHAR.
    #[test]
    fn every_unreserved_byte_is_a_vschar() {
        let unreserved = (0..=255u8).filter(|&b| crate::codec::percent::is_unreserved(b));
        assert_eq!(unreserved.clone().count(), 66);
        assert!(unreserved.clone().all(is_vschar));
        assert!(!unreserved.clone().all(is_jws_char), "~ is not base64url");
    }
}

//! Zero-copy `name=value&…` splitting (RFC 6749 App. B, the WHATWG urlencoded parser's rules
//! for well-formed input): empty segments are skipped, the split is on the first `=`, a
//! segment without `=` has an empty value, and `;` is not a separator.

/// Iterates over the raw (still encoded) `(name, value)` pairs of `input`.
pub(crate) fn pairs(input: &str) -> impl Iterator<Item = (&str, &str)> {
    input
        .split('&')
        .filter(|segment| !segment.is_empty())
        .map(|segment| segment.split_once('=').unwrap_or((segment, "")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;

    #[test]
    fn r12_splitting_rules() {
        let got: Vec<_> = pairs("&&&state=a=b&&x&=v&s=1;y=2&").collect();
        assert_eq!(
            got,
            [("state", "a=b"), ("x", ""), ("", "v"), ("s", "1;y=2")]
        );
        assert_eq!(pairs("").count(), 0);
    }
}

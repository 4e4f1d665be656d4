//! Zero-copy `name=value&…` splitting (RFC 6749 App. B, the WHATWG urlencoded parser's rules
//! for well-formed input): empty segments are skipped, the split is on the first `=`, a
//! segment without `=` has an empty value, and `;` is not a separator.

use crate::codec::percent::{
    PercentError, decoded, is_hex_pair, is_unreserved, is_uri_char, is_utf8,
};
use crate::codec::scan::prefix_len;

/// Iterates over the raw (still encoded) `(name, value)` pairs of `input`.
pub(crate) fn pairs(input: &str) -> impl Iterator<Item = (&str, &str)> {
    input
        .split('&')
        .filter(|segment| !segment.is_empty())
        .map(|segment| segment.split_once('=').unwrap_or((segment, "")))
}

/// [`pairs`] with each name and value checked as [`validate`](crate::codec::percent::validate)
/// checks them, in one pass over `input`: blocks of 16 `unreserved` bytes (a token's) are
/// stepped over at once, every other byte is looked at on its own. Iteration stops after
/// the first error. Each pair comes with whether its value is only `unreserved` bytes (no
/// escape, no `+`: it decodes to itself), which the scan learns for free.
pub(crate) fn checked_pairs(input: &str) -> CheckedPairs<'_> {
    CheckedPairs { input, pos: 0 }
}

/// The iterator of [`checked_pairs`].
pub(crate) struct CheckedPairs<'a> {
    input: &'a str,
    /// Where the next segment starts; past the end once done or failed.
    pos: usize,
}

impl<'a> CheckedPairs<'a> {
    /// The segment starting at `self.pos`, up to its `&` or the end; `Ok(None)` for an empty one.
    fn segment(&mut self) -> Result<Option<(&'a str, &'a str, bool)>, PercentError> {
        let bytes = self.input.as_bytes();
        let start = self.pos;
        let mut name_end = None;
        // Whether the part being read (the name, then the value) holds an escape.
        let mut escaped = false;
        // Whether the part being read holds only `unreserved` bytes.
        let mut plain = true;
        let mut i = start;
        let end = loop {
            let rest = bytes.get(i..).unwrap_or_default();
            i = i.saturating_add(prefix_len(rest, |b| !is_unreserved(b)));
            let b = match bytes.get(i) {
                None | Some(b'&') => break i,
                Some(&b) => b,
            };
            plain = false;
            match b {
                b'=' if name_end.is_none() => {
                    let name = self.input.get(start..i).unwrap_or_default();
                    if escaped && !is_utf8(decoded(name)) {
                        return Err(PercentError::InvalidUtf8);
                    }
                    name_end = Some(i);
                    (escaped, plain) = (false, true);
                }
                b'=' => {}
                b'%' => {
                    if !is_hex_pair(bytes.get(i.saturating_add(1)..i.saturating_add(3))) {
                        return Err(PercentError::Malformed);
                    }
                    escaped = true;
                    i = i.saturating_add(2);
                }
                b if is_uri_char(b) => {}
                _ => return Err(PercentError::InvalidCharacter),
            }
            i = i.saturating_add(1);
        };
        self.pos = end.saturating_add(1);
        let segment = self.input.get(start..end).unwrap_or_default();
        let (name, value) = match name_end {
            Some(e) => (
                self.input.get(start..e).unwrap_or_default(),
                self.input.get(e.saturating_add(1)..end).unwrap_or_default(),
            ),
            None => (segment, ""),
        };
        // The escapes of the part read last (the value, or a name without `=`).
        let last = if name_end.is_some() { value } else { name };
        if escaped && !is_utf8(decoded(last)) {
            return Err(PercentError::InvalidUtf8);
        }
        // A name without `=` has the empty value, which is plain.
        let plain = plain || name_end.is_none();
        Ok((!segment.is_empty()).then_some((name, value, plain)))
    }
}

impl<'a> Iterator for CheckedPairs<'a> {
    /// The name, the value, and whether the value is only `unreserved` bytes.
    type Item = Result<(&'a str, &'a str, bool), PercentError>;

    fn next(&mut self) -> Option<Self::Item> {
        while self.pos <= self.input.len() {
            match self.segment() {
                Ok(None) => {}
                Ok(Some(pair)) => return Some(Ok(pair)),
                Err(e) => {
                    self.pos = usize::MAX;
                    return Some(Err(e));
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::percent;
    use std::vec::Vec;

    #[test]
    fn rfc6749_appendix_b_splitting_rules() {
        let got: Vec<_> = pairs("&&&state=a=b&&x&=v&s=1;y=2&").collect();
        assert_eq!(
            got,
            [("state", "a=b"), ("x", ""), ("", "v"), ("s", "1;y=2")]
        );
        assert_eq!(pairs("").count(), 0);
    }

    /// The checked pairs are the pairs, each name and value validated, on inputs of every
    /// shape: the same pairs, the same first error, and a value called plain exactly when
    /// it is only `unreserved` bytes.
    #[test]
    fn checked_pairs_are_pairs_validated() {
        let long = "a".repeat(40);
        let inputs = [
            "&&&state=a=b&&x&=v&s=1;y=2&".into(),
            "".into(),
            "=".into(),
            "&".into(),
            std::format!("access_token={long}&scope=openid%20profile+email&state=%C3%A9"),
            std::format!("{long}%zz&b=c"),
            std::format!("a=1&b={long} {long}"),
            std::format!("t={long}&u={long}.~&v={long}+&w=x{long}%41&y=a=b&z=&{long}"),
            std::format!("n%C3=v&{long}"),
            std::format!("n=v%C3&{long}"),
            "n%C3=v%2".into(),
            std::format!("n=%2{long}"),
            std::format!("a=b#c&d={long}\u{e9}"),
            "%F0%9F%98%80=%F0%9F%98%80".into(),
            "x=%".into(),
            "x%4".into(),
        ];
        for input in inputs {
            let expected: Vec<Result<(&str, &str, bool), PercentError>> = {
                let mut out = Vec::new();
                for (name, value) in pairs(&input) {
                    let plain = value.bytes().all(is_unreserved);
                    match percent::validate(name).and_then(|()| percent::validate(value)) {
                        Ok(()) => out.push(Ok((name, value, plain))),
                        Err(e) => {
                            out.push(Err(e));
                            break;
                        }
                    }
                }
                out
            };
            let got: Vec<_> = checked_pairs(&input).collect();
            assert_eq!(got, expected, "{input:?}");
        }
    }
}

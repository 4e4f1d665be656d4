//! Walking: the members and elements of validated JSON text, as [`Value`]s that borrow it.
//!
//! The text is canonical ([`super::canonicalize`]) or raw but [`super::validate`]d, so the
//! walk only splits values and never rechecks the grammar.

use crate::codec::json::{JsonError, is_ws};
use crate::codec::scan::string_run;

/// A JSON value inside canonical text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Value<'p> {
    /// A string's canonical contents, without the quotes, and whether they hold an escape
    /// (found while the string's end was; no second scan).
    Str(&'p str, bool),
    /// A number's text.
    Num(&'p str),
    Bool(bool),
    Null,
    /// An array's text, brackets included.
    Array(&'p str),
    /// An object's text, braces included.
    Object(&'p str),
}

impl<'p> Value<'p> {
    /// The string's value when it can be borrowed: canonical text without escapes.
    pub(crate) fn plain_str(self) -> Option<Option<&'p str>> {
        match self {
            Self::Str(s, escaped) => Some((!escaped).then_some(s)),
            _ => None,
        }
    }
}

/// Splits the first value off valid JSON text (canonical, or raw with whitespace); `None` on
/// anything unexpected.
fn split_value(s: &str) -> Option<(Value<'_>, &str)> {
    let s = trim_start(s);
    let bytes = s.as_bytes();
    match bytes.first()? {
        b'"' => {
            let (end, escaped) = string_end(bytes)?;
            Some((
                Value::Str(s.get(1..end)?, escaped),
                s.get(end.checked_add(1)?..)?,
            ))
        }
        open @ (b'{' | b'[') => {
            let end = container_end(bytes)?;
            let (text, rest) = s.split_at_checked(end.checked_add(1)?)?;
            let v = if *open == b'{' {
                Value::Object(text)
            } else {
                Value::Array(text)
            };
            Some((v, rest))
        }
        b't' => Some((Value::Bool(true), s.strip_prefix("true")?)),
        b'f' => Some((Value::Bool(false), s.strip_prefix("false")?)),
        b'n' => Some((Value::Null, s.strip_prefix("null")?)),
        _ => {
            let end = bytes
                .iter()
                .position(|&b| matches!(b, b',' | b'}' | b']') | is_ws(b))
                .unwrap_or(s.len());
            let (num, rest) = s.split_at_checked(end)?;
            Some((Value::Num(num), rest))
        }
    }
}

/// `s` without its leading JSON whitespace (canonical text has none: one byte tells).
fn trim_start(s: &str) -> &str {
    if !s.as_bytes().first().is_some_and(|&b| is_ws(b)) {
        return s;
    }
    let skip = s.bytes().take_while(|&b| is_ws(b)).count();
    s.get(skip..).unwrap_or_default()
}

/// `s` without its leading and trailing JSON whitespace.
fn trim(s: &str) -> &str {
    let s = trim_start(s);
    let keep = s
        .len()
        .saturating_sub(s.bytes().rev().take_while(|&b| is_ws(b)).count());
    s.get(..keep).unwrap_or_default()
}

/// Index of the closing quote of the string starting at `bytes[0]`, and whether the string
/// holds an escape.
fn string_end(bytes: &[u8]) -> Option<(usize, bool)> {
    let mut i = 1usize;
    let mut escaped = false;
    loop {
        let rest = bytes.get(i..)?;
        i = i.checked_add(string_run(rest, false))?;
        match bytes.get(i)? {
            b'"' => return Some((i, escaped)),
            // A backslash and the byte it escapes.
            _ => (i, escaped) = (i.checked_add(2)?, true),
        }
    }
}

/// Index of the bracket closing the container that starts at `bytes[0]`.
fn container_end(bytes: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => i = i.checked_add(string_end(bytes.get(i..)?)?.0)?,
            b'{' | b'[' => depth = depth.checked_add(1)?,
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i = i.checked_add(1)?;
    }
    None
}

/// The `(name, value)` members of an object (`{…}`) in validated JSON text. Names and string
/// values are as written: canonical text's, or raw text's with any escapes ([`canonical_str`](super::canonical_str)).
pub(crate) fn members(object: &str) -> impl Iterator<Item = Result<(&str, Value<'_>), JsonError>> {
    let inner = object
        .strip_prefix('{')
        .and_then(|s| s.strip_suffix('}'))
        .unwrap_or_default();
    Items {
        rest: trim(inner),
        named: true,
    }
    .map(|item| match item {
        Ok((Some(name), value)) => Ok((name, value)),
        _ => Err(JsonError::Invalid),
    })
}

/// The elements of an array (`[…]`) in validated JSON text.
pub(crate) fn elements(array: &str) -> impl Iterator<Item = Result<Value<'_>, JsonError>> {
    let inner = array
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .unwrap_or_default();
    Items {
        rest: trim(inner),
        named: false,
    }
    .map(|item| item.map(|(_, value)| value))
}

struct Items<'p> {
    rest: &'p str,
    named: bool,
}

impl<'p> Items<'p> {
    fn item(&mut self) -> Option<(Option<&'p str>, Value<'p>)> {
        let mut rest = self.rest;
        let mut name = None;
        if self.named {
            // A name is a string: its end found directly, no value built.
            let text = trim_start(rest);
            if text.as_bytes().first() != Some(&b'"') {
                return None;
            }
            let (end, _) = string_end(text.as_bytes())?;
            name = Some(text.get(1..end)?);
            rest = trim_start(text.get(end.checked_add(1)?..)?).strip_prefix(':')?;
        }
        let (value, after) = split_value(rest)?;
        self.rest = match trim_start(after).strip_prefix(',') {
            Some(more) if !more.is_empty() => more,
            None if after.is_empty() => "",
            _ => return None,
        };
        Some((name, value))
    }
}

impl<'p> Iterator for Items<'p> {
    type Item = Result<(Option<&'p str>, Value<'p>), JsonError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let item = self.item().ok_or(JsonError::Invalid);
        if item.is_err() {
            self.rest = "";
        }
        Some(item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;

    use crate::codec::json::canonical::{canonicalize, validate};

    fn canon(input: &str) -> Result<std::string::String, JsonError> {
        let mut out = std::vec![0u8; input.len()];
        let n = canonicalize(input.as_bytes(), &mut out)?;
        out.truncate(n);
        Ok(std::string::String::from_utf8(out).unwrap())
    }

    #[test]
    fn members_and_elements_walk_canonical_text() {
        let text =
            canon(r#"{"a":"x","b":[1,"y",{"c":[]}],"d":null,"e":{"f":"]"},"g":"q\"z"}"#).unwrap();
        let got: Vec<_> = members(&text).map(Result::unwrap).collect();
        assert_eq!(
            got,
            [
                ("a", Value::Str("x", false)),
                ("b", Value::Array("[1,\"y\",{\"c\":[]}]")),
                ("d", Value::Null),
                ("e", Value::Object("{\"f\":\"]\"}")),
                ("g", Value::Str("q\\\"z", true)),
            ]
        );
        let Value::Array(arr) = got[1].1 else {
            panic!()
        };
        let els: Vec<_> = elements(arr).map(Result::unwrap).collect();
        assert_eq!(
            els,
            [
                Value::Num("1"),
                Value::Str("y", false),
                Value::Object("{\"c\":[]}")
            ]
        );
        assert_eq!(elements("[]").count(), 0);
    }

    #[test]
    fn raw_text_walks_like_canonical_text() {
        let raw = " {\n \"a\" : \"x\" ,\t\"b\" : [ 1 , -2.5e3 ] , \"c\":{ } } ";
        assert_eq!(validate(raw.as_bytes()), Ok(()));
        let object = trim(raw);
        let got: Vec<_> = members(object).map(Result::unwrap).collect();
        assert_eq!(
            got,
            [
                ("a", Value::Str("x", false)),
                ("b", Value::Array("[ 1 , -2.5e3 ]")),
                ("c", Value::Object("{ }")),
            ]
        );
        let Value::Array(arr) = got[1].1 else {
            panic!()
        };
        let els: Vec<_> = elements(arr).map(Result::unwrap).collect();
        assert_eq!(els, [Value::Num("1"), Value::Num("-2.5e3")]);
        // Validation alone is as strict as canonicalization, duplicates aside.
        for bad in [r#"{"a":[,1]}"#, "{\"a\":\"\n\"}", "[]", r#"{"a":1}x"#] {
            assert!(validate(bad.as_bytes()).is_err(), "{bad:?}");
        }
        assert_eq!(validate(br#"{"a":1,"a":2}"#), Ok(()));
    }
}

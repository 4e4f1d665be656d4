//! Canonicalizing: strict validation of a JSON object, and its canonical copy.
//!
//! [`canonicalize`] validates a JSON object strictly (grammar, escapes, surrogates, raw control
//! characters, nesting depth, duplicate top-level members) and writes a canonical copy without
//! whitespace in which every string is unescaped except `"`, `\` and control characters. A
//! string in the canonical copy is therefore its own value whenever it holds none of those, and
//! can be borrowed. [`deserialize`] hands the canonical copy to `serde-json-core` (the only file
//! naming it), which never sees the lenient inputs it would accept (`[,1]`, raw newlines).

use crate::codec::json::{JsonError, is_ws};
use crate::codec::scan::string_run;
use crate::limits::{MAX_JSON_DEPTH, MAX_JSON_MEMBERS};

/// Validates the JSON object in `input` and writes its canonical form into `out`, returning
/// the canonical length. The canonical form is never longer than the input.
///
/// UTF-8 is checked once, on the output: the caller turns it into a `&str` with
/// `core::str::from_utf8`, which fails exactly when the input is not UTF-8 (outside strings
/// any non-ASCII byte is already a syntax error, inside them bytes are copied as they are,
/// and an escape writes a whole `char`).
///
/// # Errors
/// [`JsonError::NotObject`] for valid JSON that is not an object; [`JsonError::Invalid`],
/// [`JsonError::DepthLimit`], [`JsonError::TooManyMembers`], [`JsonError::DuplicateMember`];
/// [`JsonError::OutputTooShort`] if `out` is shorter than the canonical form.
pub(crate) fn canonicalize(input: &[u8], out: &mut [u8]) -> Result<usize, JsonError> {
    canonicalize_with(input, out, Names::<MAX_JSON_MEMBERS>::new().as_mut_view())
}

/// [`canonicalize`] for an object of up to `names.capacity()` top-level members (provider
/// metadata has more than a token's claims); `names` must be empty.
///
/// # Errors
/// As [`canonicalize`].
pub(crate) fn canonicalize_with(
    input: &[u8],
    out: &mut [u8],
    names: &mut NamesView,
) -> Result<usize, JsonError> {
    run(input, Some((out, names)))
}

/// Validates the JSON object in `input` as [`canonicalize`] does, but writes nothing and so
/// leaves duplicate member names to the reader ([`members`](super::members) works on the raw text too).
///
/// # Errors
/// As [`canonicalize`], without [`JsonError::DuplicateMember`] and [`JsonError::OutputTooShort`].
#[cfg_attr(
    not(any(feature = "rsa", feature = "ecdsa", feature = "eddsa")),
    allow(dead_code)
)] // JWKs only
pub(crate) fn validate(input: &[u8]) -> Result<(), JsonError> {
    run(input, None).map(|_| ())
}

/// The length of the canonical form of the JSON object in `input`, which is validated as
/// [`validate`] does.
///
/// # Errors
/// As [`validate`].
pub(crate) fn canonical_len(input: &[u8]) -> Result<usize, JsonError> {
    run(input, None)
}

fn run(input: &[u8], out: Option<(&mut [u8], &mut NamesView)>) -> Result<usize, JsonError> {
    // With an output, the caller's check of it is the one UTF-8 check (see `canonicalize`).
    if out.is_none() {
        core::str::from_utf8(input).map_err(|_| JsonError::Invalid)?;
    }
    let (out, names) = out.unzip();
    let mut c = Canon {
        input,
        pos: 0,
        out: out.unwrap_or_default(),
        discard: names.is_none(),
        len: 0,
    };
    c.skip_ws();
    let is_object = c.peek() == Some(b'{');
    if is_object {
        c.object(1, names)?;
    } else {
        c.value(1)?;
    }
    c.skip_ws();
    if c.pos != input.len() {
        return Err(JsonError::Invalid);
    }
    if is_object {
        Ok(c.len)
    } else {
        Err(JsonError::NotObject)
    }
}

/// Top-level member names, as spans of the canonical output, for duplicate detection.
pub(crate) type Names<const N: usize> = heapless::Vec<(usize, usize), N>;
/// [`Names`] of any capacity.
pub(crate) type NamesView = heapless::vec::VecView<(usize, usize)>;

struct Canon<'i, 'o> {
    input: &'i [u8],
    pos: usize,
    out: &'o mut [u8],
    /// Validate only: count the output without writing it.
    discard: bool,
    len: usize,
}

impl Canon<'_, '_> {
    fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    fn next(&mut self) -> Result<u8, JsonError> {
        let b = self.peek().ok_or(JsonError::Invalid)?;
        self.pos = self.pos.saturating_add(1);
        Ok(b)
    }

    fn expect(&mut self, want: u8) -> Result<(), JsonError> {
        if self.next()? == want {
            self.emit(want)
        } else {
            Err(JsonError::Invalid)
        }
    }

    fn emit(&mut self, b: u8) -> Result<(), JsonError> {
        if !self.discard {
            *self
                .out
                .get_mut(self.len)
                .ok_or(JsonError::OutputTooShort)? = b;
        }
        self.len = self.len.saturating_add(1);
        Ok(())
    }

    fn emit_all(&mut self, bytes: &[u8]) -> Result<(), JsonError> {
        let end = self
            .len
            .checked_add(bytes.len())
            .ok_or(JsonError::OutputTooShort)?;
        if !self.discard {
            let out = self
                .out
                .get_mut(self.len..end)
                .ok_or(JsonError::OutputTooShort)?;
            out.copy_from_slice(bytes);
        }
        self.len = end;
        Ok(())
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(is_ws) {
            self.pos = self.pos.saturating_add(1);
        }
    }

    fn value(&mut self, depth: usize) -> Result<(), JsonError> {
        match self.peek().ok_or(JsonError::Invalid)? {
            b'{' | b'[' if depth >= MAX_JSON_DEPTH => Err(JsonError::DepthLimit),
            b'{' => self.object(depth.saturating_add(1), None),
            b'[' => self.array(depth.saturating_add(1)),
            b'"' => self.string(),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => Err(JsonError::Invalid),
        }
    }

    fn object(&mut self, depth: usize, mut names: Option<&mut NamesView>) -> Result<(), JsonError> {
        self.expect(b'{')?;
        self.skip_ws();
        if self.peek() == Some(b'}') {
            return self.expect(b'}');
        }
        // One bit per (length, last byte) of the names seen: a name whose bit is clear is
        // new without comparing it to any other.
        let mut seen_bits = 0u64;
        loop {
            self.skip_ws();
            let start = self.len;
            self.string()?;
            if let Some(names) = names.as_deref_mut() {
                let name = (start, self.len);
                let text = |(s, e): (usize, usize)| self.out.get(s..e);
                let bit = name_bit(text(name).unwrap_or_default());
                if seen_bits & bit != 0 && names.iter().any(|&seen| text(seen) == text(name)) {
                    return Err(JsonError::DuplicateMember);
                }
                seen_bits |= bit;
                names.push(name).map_err(|_| JsonError::TooManyMembers)?;
            }
            self.skip_ws();
            self.expect(b':')?;
            self.skip_ws();
            self.value(depth)?;
            self.skip_ws();
            match self.next()? {
                b',' => self.emit(b',')?,
                b'}' => return self.emit(b'}'),
                _ => return Err(JsonError::Invalid),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<(), JsonError> {
        self.expect(b'[')?;
        self.skip_ws();
        if self.peek() == Some(b']') {
            return self.expect(b']');
        }
        loop {
            self.skip_ws();
            self.value(depth)?;
            self.skip_ws();
            match self.next()? {
                b',' => self.emit(b',')?,
                b']' => return self.emit(b']'),
                _ => return Err(JsonError::Invalid),
            }
        }
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), JsonError> {
        let end = self.pos.saturating_add(word.len());
        if self.input.get(self.pos..end) != Some(word) {
            return Err(JsonError::Invalid);
        }
        self.pos = end;
        self.emit_all(word)
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, copied verbatim.
    fn number(&mut self) -> Result<(), JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos = self.pos.saturating_add(1);
        }
        match self.peek() {
            Some(b'0') => self.pos = self.pos.saturating_add(1),
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(JsonError::Invalid),
        }
        if self.peek() == Some(b'.') {
            self.pos = self.pos.saturating_add(1);
            self.require_digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos = self.pos.saturating_add(1);
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos = self.pos.saturating_add(1);
            }
            self.require_digits()?;
        }
        let text = self.input.get(start..self.pos).ok_or(JsonError::Invalid)?;
        self.emit_all(text)
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos = self.pos.saturating_add(1);
        }
    }

    fn require_digits(&mut self) -> Result<(), JsonError> {
        if !matches!(self.peek(), Some(b'0'..=b'9')) {
            return Err(JsonError::Invalid);
        }
        self.digits();
        Ok(())
    }

    fn string(&mut self) -> Result<(), JsonError> {
        // Most strings have no escape: the quotes and contents are copied at once.
        let rest = self.input.get(self.pos..).unwrap_or_default();
        if let [b'"', contents @ ..] = rest {
            let run = string_run(contents, true);
            if contents.get(run) == Some(&b'"') {
                let whole = rest.get(..run.saturating_add(2)).unwrap_or_default();
                self.pos = self.pos.saturating_add(whole.len());
                return self.emit_all(whole);
            }
        }
        self.expect(b'"')?;
        loop {
            // The bytes up to the next quote, backslash or control character, at once.
            let rest = self.input.get(self.pos..).unwrap_or_default();
            let (plain, _) = rest.split_at(string_run(rest, true));
            self.pos = self.pos.saturating_add(plain.len());
            self.emit_all(plain)?;
            match self.next()? {
                b'"' => return self.emit(b'"'),
                b'\\' => self.escape()?,
                _ => return Err(JsonError::Invalid),
            }
        }
    }

    fn escape(&mut self) -> Result<(), JsonError> {
        let c = match self.next()? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => self.unicode()?,
            _ => return Err(JsonError::Invalid),
        };
        self.emit_char(c)
    }

    /// The code point of `\uXXXX` (its `\u` consumed), joining a surrogate pair.
    fn unicode(&mut self) -> Result<char, JsonError> {
        let high = self.hex4()?;
        let code = match high {
            0xD800..=0xDBFF => {
                if self.next()? != b'\\' || self.next()? != b'u' {
                    return Err(JsonError::Invalid);
                }
                let low = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(JsonError::Invalid);
                }
                (((high & 0x3FF) << 10) | (low & 0x3FF)).wrapping_add(0x10000)
            }
            _ => high,
        };
        // Lone low surrogates are not chars, so `from_u32` rejects them.
        char::from_u32(code).ok_or(JsonError::Invalid)
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = char::from(self.next()?)
                .to_digit(16)
                .ok_or(JsonError::Invalid)?;
            v = (v << 4) | d;
        }
        Ok(v)
    }

    /// Writes `c` in canonical form: raw, except `"`, `\` and control characters.
    fn emit_char(&mut self, c: char) -> Result<(), JsonError> {
        let short = match c {
            '"' => Some(b'"'),
            '\\' => Some(b'\\'),
            '\u{8}' => Some(b'b'),
            '\u{c}' => Some(b'f'),
            '\n' => Some(b'n'),
            '\r' => Some(b'r'),
            '\t' => Some(b't'),
            _ => None,
        };
        if let Some(s) = short {
            return self.emit_all(&[b'\\', s]);
        }
        if c < ' ' {
            let hex = |n: u32| char::from_digit(n, 16).map_or(b'0', |d| d as u8);
            let n = u32::from(c);
            return self.emit_all(&[b'\\', b'u', b'0', b'0', hex(n >> 4), hex(n & 0xF)]);
        }
        let mut buf = [0u8; 4];
        self.emit_all(c.encode_utf8(&mut buf).as_bytes())
    }
}

/// The bit of a member name (its canonical text, quotes included) in a 64-bit set: its
/// length and last content byte, which already tell apart the names of a token's claims.
fn name_bit(name: &[u8]) -> u64 {
    let last = name.len().checked_sub(2).and_then(|i| name.get(i)).copied();
    let mix = name.len().wrapping_mul(7) ^ usize::from(last.unwrap_or(0));
    1 << (mix % 64)
}

/// The canonical form of a string's contents (between the quotes) from validated JSON text:
/// borrowed when it has no escapes, else unescaped into `out` (canonical escapes kept for
/// `"`, `\` and control characters, so two strings are equal exactly when their canonical
/// forms are).
///
/// # Errors
/// [`JsonError::OutputTooShort`] if `out` is too short; [`JsonError::Invalid`] for a bad escape.
#[cfg_attr(
    not(any(feature = "rsa", feature = "ecdsa", feature = "eddsa")),
    allow(dead_code)
)] // JWKs only
pub(crate) fn canonical_str<'a>(
    contents: &'a str,
    out: &'a mut [u8],
) -> Result<&'a str, JsonError> {
    if !contents.contains('\\') {
        return Ok(contents);
    }
    let mut c = Canon {
        input: contents.as_bytes(),
        pos: 0,
        out,
        discard: false,
        len: 0,
    };
    while let Some(b) = c.peek() {
        c.pos = c.pos.saturating_add(1);
        match b {
            b'\\' => c.escape()?,
            b => c.emit(b)?,
        }
    }
    let len = c.len;
    let text = out.get(..len).ok_or(JsonError::OutputTooShort)?;
    core::str::from_utf8(text).map_err(|_| JsonError::Invalid)
}

/// Deserializes canonical JSON with `serde-json-core`. Strings holding `"`, `\` or control
/// characters are unescaped into `unescape` (so only owned string fields can receive them);
/// all others are borrowed from `canonical`.
///
/// # Errors
/// [`JsonError::Deserialize`] if the JSON does not fit `T`.
pub(crate) fn deserialize<'p, T: serde::Deserialize<'p>>(
    canonical: &'p str,
    unescape: &mut [u8],
) -> Result<T, JsonError> {
    match serde_json_core::from_slice_escaped::<T>(canonical.as_bytes(), unescape) {
        Ok((value, used)) if used == canonical.len() => Ok(value),
        _ => Err(JsonError::Deserialize),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(input: &str) -> Result<std::string::String, JsonError> {
        let mut out = std::vec![0u8; input.len()];
        let n = canonicalize(input.as_bytes(), &mut out)?;
        out.truncate(n);
        Ok(std::string::String::from_utf8(out).unwrap())
    }

    #[test]
    fn canonical_form_unescapes_all_but_quote_backslash_and_controls() {
        assert_eq!(
            canon(
                r#" { "iss" : "https:\/\/x.auth0.com\/", "n\u006fnce":"\u00e9\ud83d\ude00",
                "q":"a\"b\\c\n\u0001\u000A", "a":[1, -2.5e+3, true, false, null, {}], "o":{} } "#
            )
            .unwrap(),
            "{\"iss\":\"https://x.auth0.com/\",\"nonce\":\"\u{e9}\u{1F600}\",\
             \"q\":\"a\\\"b\\\\c\\n\\u0001\\n\",\"a\":[1,-2.5e+3,true,false,null,{}],\"o\":{}}"
        );
    }

    #[test]
    fn rfc7519_7_2_strictness() {
        for bad in [
            "{\"a\":[,1]}",
            "{\"a\":\"x\ny\"}",
            "{\"a\":\"\\x41\"}",
            "{\"a\":\"\\u12\"}",
            "{\"a\":\"\\uZZZZ\"}",
            "{\"a\":\"\\ud800\"}",
            "{\"a\":\"\\udc00\"}",
            "{\"a\":01}",
            "{\"a\":+1}",
            "{\"a\":.5}",
            "{\"a\":1.}",
            "{\"a\":NaN}",
            "{\"a\":1,}",
            "{\"a\":1}x",
            "\u{feff}{}",
            "{\"a\" 1}",
        ] {
            assert!(
                matches!(canon(bad), Err(JsonError::Invalid | JsonError::NotObject)),
                "{bad:?} gave {:?}",
                canon(bad)
            );
        }
        assert_eq!(canon("{} \r\n").unwrap(), "{}");
        for not_object in ["[]", "1", "\"s\"", "null"] {
            assert_eq!(canon(not_object), Err(JsonError::NotObject));
        }
    }

    #[test]
    fn rfc7519_4_duplicates_after_unescaping_and_depth() {
        assert_eq!(
            canon(r#"{"nonce":"x","n\u006fnce":"y"}"#),
            Err(JsonError::DuplicateMember)
        );
        // `iss` and `sus` share their bit in the set of names seen: compared, not confused.
        assert_eq!(name_bit(br#""iss""#), name_bit(br#""sus""#));
        assert_eq!(
            canon(r#"{"iss":1,"sus":2}"#).unwrap(),
            r#"{"iss":1,"sus":2}"#
        );
        assert_eq!(
            canon(r#"{"iss":1,"sus":2,"iss":3}"#),
            Err(JsonError::DuplicateMember)
        );
        // A raw control character or an escape leaves the one-copy path for the checked one.
        assert_eq!(canon("{\"a\":\"x\u{1}\"}"), Err(JsonError::Invalid));
        assert_eq!(canon(r#"{"a":"x\ty"}"#).unwrap(), r#"{"a":"x\ty"}"#);
        let nested = |n: usize| {
            let mut s = std::string::String::from("{\"x\":");
            s.extend(core::iter::repeat_n('[', n));
            s.extend(core::iter::repeat_n(']', n));
            s.push('}');
            s
        };
        assert!(canon(&nested(MAX_JSON_DEPTH - 1)).is_ok());
        assert_eq!(canon(&nested(MAX_JSON_DEPTH)), Err(JsonError::DepthLimit));
        // Miri interprets every byte of the input: a shorter flood proves the same there.
        let flood = if cfg!(miri) { 1_000 } else { 100_000 };
        assert_eq!(canon(&nested(flood)), Err(JsonError::DepthLimit));
    }

    #[test]
    fn canonical_str_unescapes_into_the_buffer_only_when_needed() {
        let mut buf = [0u8; 16];
        assert_eq!(canonical_str("plain", &mut buf), Ok("plain"));
        let mut buf = [0u8; 16];
        assert_eq!(
            canonical_str(r"k\u0069d\/\u00e9", &mut buf),
            Ok("kid/\u{e9}")
        );
        let mut buf = [0u8; 16];
        assert_eq!(canonical_str(r#"a\"b\n"#, &mut buf), Ok(r#"a\"b\n"#));
        assert_eq!(
            canonical_str(r"\u0041\u0042", &mut [0u8; 1]),
            Err(JsonError::OutputTooShort)
        );
        assert_eq!(canonical_str(r"\x", &mut [0u8; 4]), Err(JsonError::Invalid));
    }
}

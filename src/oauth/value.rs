//! Values of the authorization response: [`RawValue`], still encoded and decoded on demand,
//! and [`SecretValue`], one that is redacted in `Debug`. Both the response parser and the
//! error codes build on them.

use core::fmt;

use crate::codec::{percent, scan};
use crate::error::{Error, ResponseError};
use crate::oauth::syntax;

/// A validated parameter value, still encoded, borrowed from the response.
///
/// Its characters and escapes were checked when it was parsed, and it decodes to UTF-8.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct RawValue<'f>(&'f str);

impl<'f> RawValue<'f> {
    /// Wraps `raw`, which the caller has validated ([`percent::validate`]) and checked
    /// against its parameter's grammar.
    pub(crate) const fn new(raw: &'f str) -> Self {
        Self(raw)
    }

    /// The value as it appears on the wire (still percent- and plus-encoded).
    ///
    /// ```
    /// use implicit_grant::{AuthorizationResponse, parse_fragment};
    /// let AuthorizationResponse::Success(ok) = parse_fragment("scope=openid+profile")? else {
    ///     return Err("expected a success".into());
    /// };
    /// assert_eq!(ok.scope.ok_or("no scope")?.as_raw().as_encoded(), "openid+profile");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn as_encoded(&self) -> &'f str {
        self.0
    }

    /// Decodes the value into `out` (RFC 6749 App. B: `+` is a space, then UTF-8).
    ///
    /// # Errors
    /// [`Error::BufferTooSmall`] with the decoded length if `out` is too short.
    ///
    /// ```
    /// use implicit_grant::{AuthorizationResponse, parse_fragment};
    /// let AuthorizationResponse::Success(ok) = parse_fragment("scope=openid%20profile")? else {
    ///     return Err("expected a success".into());
    /// };
    /// let mut buf = [0u8; 32];
    /// assert_eq!(ok.scope.ok_or("no scope")?.as_raw().decode_into(&mut buf)?, "openid profile");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decode_into<'o>(&self, out: &'o mut [u8]) -> Result<&'o str, Error> {
        Ok(percent::decode_into(self.0, out)?)
    }

    /// The decoded value when decoding would not change it (no `%` and no `+`): zero-copy.
    ///
    /// ```
    /// use implicit_grant::{AuthorizationResponse, parse_fragment};
    /// let AuthorizationResponse::Success(ok) = parse_fragment("scope=openid&iss=a%2Fb")? else {
    ///     return Err("expected a success".into());
    /// };
    /// assert_eq!(ok.scope.ok_or("no scope")?.as_raw().as_verbatim(), Some("openid"));
    /// assert_eq!(ok.iss.ok_or("no iss")?.as_verbatim(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn as_verbatim(&self) -> Option<&'f str> {
        percent::is_verbatim(self.0).then_some(self.0)
    }

    /// Compares the decoded value with `expected` in constant time (only the lengths may
    /// short-circuit).
    ///
    /// ```
    /// use implicit_grant::{AuthorizationResponse, parse_fragment};
    /// let AuthorizationResponse::Success(ok) = parse_fragment("state=a%26b%3Dc%23d")? else {
    ///     return Err("expected a success".into());
    /// };
    /// assert!(ok.state.ok_or("no state")?.expose_secret().ct_eq_decoded("a&b=c#d"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn ct_eq_decoded(&self, expected: &str) -> bool {
        crate::ct::ct_eq_stream(self.decoded(), expected.as_bytes())
    }

    pub(crate) fn decoded(&self) -> percent::Decoded<'f> {
        percent::decoded(self.0)
    }

    /// Whether the decoded value is `1*` of `class`: one vectorized pass over the raw bytes
    /// when nothing in them changes on decoding.
    pub(crate) fn all_decoded(&self, class: impl Fn(u8) -> bool) -> bool {
        let raw = self.0.as_bytes();
        if !raw.is_empty() && scan::all_bytes(raw, |b| class(b) & (b != b'+') & (b != b'%')) {
            return true;
        }
        syntax::all_of(self.decoded(), class)
    }

    /// Writes the decoded value of a parameter whose grammar is printable ASCII (`error`,
    /// `error_description`, `error_uri`); any other octet is written as U+FFFD.
    pub(crate) fn write_ascii(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        self.decoded().try_for_each(|b| {
            f.write_char(if b.is_ascii() {
                char::from(b)
            } else {
                char::REPLACEMENT_CHARACTER
            })
        })
    }

    /// Plain (not constant-time) equality of the decoded value, for public values.
    pub(crate) fn decoded_eq(&self, other: &str) -> bool {
        self.decoded().eq(other.bytes())
    }
}

impl fmt::Debug for RawValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RawValue").field(&self.0).finish()
    }
}

/// A [`RawValue`] that holds a secret (`access_token`, `id_token`, `state`): redacted in `Debug`.
#[derive(Clone, Copy)]
pub struct SecretValue<'f>(RawValue<'f>);

impl<'f> SecretValue<'f> {
    /// Marks `value` as a secret.
    pub(crate) const fn new(value: RawValue<'f>) -> Self {
        Self(value)
    }

    /// The value.
    ///
    /// # Security
    /// Anything that logs or persists the returned value leaks the secret.
    ///
    /// ```
    /// use implicit_grant::{AuthorizationResponse, parse_fragment};
    /// let AuthorizationResponse::Success(ok) = parse_fragment("access_token=abc")? else {
    ///     return Err("expected a success".into());
    /// };
    /// let at = ok.access_token.ok_or("no access_token")?;
    /// assert_eq!(format!("{at:?}"), "SecretValue([redacted])");
    /// assert_eq!(at.expose_secret().as_encoded(), "abc");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn expose_secret(&self) -> RawValue<'f> {
        self.0
    }
}

crate::secret::redacted_debug!(SecretValue<'_>);

/// A secret value on its way into a caller's scratch, scanned once for whether it is its
/// own decoding: the measuring and the writing agree by construction.
#[derive(Clone, Copy)]
pub(crate) struct Decoding<'f> {
    raw: RawValue<'f>,
    /// The value itself when decoding would change nothing (no `%`, no `+`).
    verbatim: Option<&'f str>,
}

impl<'f> Decoding<'f> {
    pub(crate) fn new(value: SecretValue<'f>) -> Self {
        Self {
            raw: value.expose_secret(),
            verbatim: value.0.as_verbatim(),
        }
    }

    pub(crate) const fn raw(self) -> RawValue<'f> {
        self.raw
    }

    pub(crate) const fn verbatim(self) -> Option<&'f str> {
        self.verbatim
    }

    /// Bytes of scratch [`Self::write_front`] takes: none when the value is its own decoding.
    pub(crate) fn scratch_len(self) -> usize {
        if self.verbatim.is_some() {
            0
        } else {
            self.raw.decoded().count()
        }
    }

    /// The decoded value: borrowed when decoding changes nothing, else written to the front
    /// of `scratch`, which then shrinks to what is left.
    pub(crate) fn write_front(self, scratch: &mut &'f mut [u8]) -> Result<&'f str, Error> {
        if let Some(verbatim) = self.verbatim {
            return Ok(verbatim);
        }
        let buf = core::mem::take(scratch);
        let len = self.raw.decode_into(buf)?.len();
        let (head, tail) = buf.split_at_mut(len);
        *scratch = tail;
        // `decode_into` checked the UTF-8 of what it wrote.
        core::str::from_utf8(head).map_err(|_| ResponseError::InvalidUtf8.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::percent;

    /// `all_decoded`'s one-scan answer for values that decoding leaves alone agrees with
    /// the general reading of the decoded bytes, for every value of up to four characters
    /// over an alphabet of plain, reserved, escape and space characters (alone and after a
    /// block's worth of plain bytes), and each class.
    #[test]
    fn all_decoded_fast_path_agrees_with_the_decoded_bytes() {
        const ALPHABET: &[u8] = b"a~+%20.!";
        // Under Miri, three characters: the same cases with less to interpret.
        let max_len = if cfg!(miri) { 3 } else { 4 };
        let classes: [fn(u8) -> bool; 4] = [
            syntax::is_vschar,
            syntax::is_nqchar,
            syntax::is_jws_char,
            percent::is_unreserved,
        ];
        let mut text = std::vec::Vec::new();
        let mut checked = 0;
        for len in 0..=max_len {
            let count = ALPHABET.len().pow(len);
            for mut n in 0..count {
                text.clear();
                for _ in 0..len {
                    text.push(ALPHABET[n % ALPHABET.len()]);
                    n /= ALPHABET.len();
                }
                let Ok(raw) = core::str::from_utf8(&text) else {
                    continue;
                };
                if percent::validate(raw).is_err() {
                    continue;
                }
                // Alone, and after 17 plain bytes so that the block scan sees it too.
                let long = std::format!("aaaaaaaaaaaaaaaaa{raw}");
                for value in [RawValue::new(raw), RawValue::new(&long)] {
                    for class in classes {
                        assert_eq!(
                            value.all_decoded(class),
                            syntax::all_of(value.decoded(), class),
                            "{value:?}"
                        );
                    }
                }
                checked += 1;
            }
        }
        // The valid values of up to three characters (Miri) and of up to four.
        assert_eq!(checked, if cfg!(miri) { 406 } else { 2891 });
    }
}

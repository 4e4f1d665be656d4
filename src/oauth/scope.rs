//! The granted `scope` of a response (RFC 6749 §3.3), read token by token without a buffer.

use core::iter::FusedIterator;

use crate::error::Error;
use crate::oauth::value::RawValue;

/// The granted `scope` (RFC 6749 §3.3): `scope-token *( SP scope-token )`, with each token
/// `1*NQCHAR`, still encoded as it arrived.
///
/// Empty only from a token endpoint that granted no scope (`"scope":""`: no token).
/// The grammar was checked when the response was parsed (one space between tokens, none
/// leading or trailing). On the wire a space is `+` or `%20` (RFC 6749 App. B), so
/// [`Scope::tokens`] can split the encoded value where they are, and no buffer is needed. A
/// `%2B` is a `+` inside a token, not a separator.
///
/// # Examples
/// ```
/// use implicit_grant::{AuthorizationResponse, parse_fragment};
/// let AuthorizationResponse::Success(ok) = parse_fragment("scope=openid+profile%20email")? else {
///     return Err("expected a success".into());
/// };
/// let scope = ok.scope.ok_or("no scope")?;
/// assert!(scope.tokens().map(|t| t.as_encoded()).eq(["openid", "profile", "email"]));
/// assert!(scope.contains("email"));
/// assert!(!scope.contains("address"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Scope<'f>(RawValue<'f>);

impl<'f> Scope<'f> {
    /// Wraps a value that passed the `scope` grammar (decoded: `1*NQCHAR` tokens, one space
    /// between them).
    pub(crate) const fn new(raw: RawValue<'f>) -> Self {
        Self(raw)
    }

    /// The whole value, still encoded.
    ///
    /// ```
    /// use implicit_grant::{AuthorizationResponse, parse_fragment};
    /// let AuthorizationResponse::Success(ok) = parse_fragment("scope=openid+profile")? else {
    ///     return Err("expected a success".into());
    /// };
    /// assert_eq!(ok.scope.ok_or("no scope")?.as_raw().as_verbatim(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn as_raw(&self) -> RawValue<'f> {
        self.0
    }

    /// The value as it appears on the wire: [`RawValue::as_encoded`] of [`Scope::as_raw`].
    ///
    /// ```
    /// use implicit_grant::{AuthorizationResponse, parse_fragment};
    /// let AuthorizationResponse::Success(ok) = parse_fragment("scope=openid+profile")? else {
    ///     return Err("expected a success".into());
    /// };
    /// assert_eq!(ok.scope.ok_or("no scope")?.as_encoded(), "openid+profile");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn as_encoded(&self) -> &'f str {
        self.0.as_encoded()
    }

    /// Decodes the whole value, spaces and all, into `out`: [`RawValue::decode_into`].
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
    /// assert_eq!(ok.scope.ok_or("no scope")?.decode_into(&mut buf)?, "openid profile");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decode_into<'o>(&self, out: &'o mut [u8]) -> Result<&'o str, Error> {
        self.0.decode_into(out)
    }

    /// The scope tokens, in order, each still encoded (a `%2B` in one stays as it is).
    ///
    /// ```
    /// use implicit_grant::{AuthorizationResponse, parse_fragment};
    /// let AuthorizationResponse::Success(ok) = parse_fragment("scope=openid%20a%2Bb")? else {
    ///     return Err("expected a success".into());
    /// };
    /// let mut buf = [0u8; 8];
    /// let last = ok.scope.ok_or("no scope")?.tokens().last().ok_or("no token")?;
    /// assert_eq!((last.as_encoded(), last.decode_into(&mut buf)?), ("a%2Bb", "a+b"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn tokens(&self) -> ScopeTokens<'f> {
        ScopeTokens {
            rest: self.0.as_encoded(),
        }
    }

    /// Whether `token` is one of the scope tokens, compared after decoding (so `a+b` is
    /// found in `a%2Bb`, and `openid profile` is never a token).
    ///
    /// Not constant-time: a scope is public.
    ///
    /// ```
    /// use implicit_grant::{AuthorizationResponse, parse_fragment};
    /// let AuthorizationResponse::Success(ok) = parse_fragment("scope=openid+read%3Aall")? else {
    ///     return Err("expected a success".into());
    /// };
    /// let scope = ok.scope.ok_or("no scope")?;
    /// assert!(scope.contains("read:all") && scope.contains("openid"));
    /// assert!(!scope.contains("read") && !scope.contains(""));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn contains(&self, token: &str) -> bool {
        self.tokens().any(|t| t.decoded_eq(token))
    }
}

/// The iterator of [`Scope::tokens`]: each item one encoded scope token.
#[derive(Clone, Debug)]
pub struct ScopeTokens<'f> {
    /// What is left of the encoded value, starting at a token.
    rest: &'f str,
}

impl<'f> Iterator for ScopeTokens<'f> {
    type Item = RawValue<'f>;

    fn next(&mut self) -> Option<RawValue<'f>> {
        if self.rest.is_empty() {
            return None;
        }
        let (token, rest) = match separator(self.rest) {
            Some((at, len)) => {
                let (token, from_separator) = self.rest.split_at_checked(at)?;
                (token, from_separator.get(len..).unwrap_or_default())
            }
            None => (self.rest, ""),
        };
        self.rest = rest;
        Some(RawValue::new(token))
    }
}

impl FusedIterator for ScopeTokens<'_> {}

/// Where the first encoded space of `raw` starts, and its length: `+` or `%20`.
fn separator(raw: &str) -> Option<(usize, usize)> {
    let mut from = 0usize;
    loop {
        let at = from.checked_add(raw.get(from..)?.find(['+', '%'])?)?;
        let here = raw.get(at..)?;
        if here.starts_with('+') {
            return Some((at, 1));
        }
        if here.starts_with("%20") {
            return Some((at, 3));
        }
        // Another escape: in a validated value every `%` starts one, so skip it whole.
        from = at.checked_add(3)?;
    }
}

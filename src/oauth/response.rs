//! Parsing the authorization response: the redirect URI's fragment (RFC 6749 §4.2.2,
//! §4.2.2.1; OIDC Core §3.2.2.5, §3.2.2.6), a query, or a `form_post` body.
//!
//! Zero-copy and strict: values stay encoded in the input and are decoded on demand.
//! Duplicate parameters are errors (RFC 6749 §3.1), compared after decoding their names;
//! unknown parameters are ignored (§4.2.2); an empty value counts as absent; `+` is a space
//! (App. B); malformed `%` escapes and invalid UTF-8 are errors.

use core::fmt;
use core::time::Duration;

use crate::codec::{form, percent};
use crate::error::{Error, ResponseError};
use crate::limits::{MAX_PARAMS, MAX_RESPONSE_LEN, MAX_VALUE_LEN};
use crate::oauth::error_code::ErrorCode;
use crate::oauth::param::Param;
use crate::oauth::scope::Scope;
use crate::oauth::syntax;
use crate::oauth::url::scheme_end;
use crate::oauth::value::{RawValue, SecretValue};

/// `token_type` (RFC 6749 §7.1). Only `Bearer` (RFC 6750) is understood; the value is
/// case-insensitive (§4.2.2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenType {
    /// `Bearer`
    #[default]
    Bearer,
}

/// A successful authorization response (RFC 6749 §4.2.2, OIDC Core §3.2.2.5).
///
/// Which of the tokens must be present depends on the `response_type` sent; the flow's
/// `complete` checks that. `refresh_token` is never exposed (RFC 6749 §4.2.2 forbids it here).
#[derive(Clone, Copy, Debug, Default)]
#[non_exhaustive]
pub struct TokenResponse<'f> {
    /// `access_token`: 1*VSCHAR once decoded.
    pub access_token: Option<SecretValue<'f>>,
    /// `id_token`: base64url and dots once decoded.
    pub id_token: Option<SecretValue<'f>>,
    /// `token_type`.
    pub token_type: Option<TokenType>,
    /// `expires_in`, whole seconds (a value past `u64::MAX` seconds is refused as
    /// [`ResponseError::InvalidParameter`]).
    pub expires_in: Option<Duration>,
    /// `scope`, when the granted scope differs from the requested one (RFC 6749 §3.3).
    pub scope: Option<Scope<'f>>,
    /// `state`.
    pub state: Option<SecretValue<'f>>,
    /// `iss` (RFC 9207).
    pub iss: Option<RawValue<'f>>,
}

/// An error response (RFC 6749 §4.2.2.1, OIDC Core §3.1.2.6).
///
/// # Security
/// Nothing proves an error response authentic until its `state` matched (RFC 9207 §2.4):
/// the flow's `complete` reports it only after that check.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct ErrorResponse<'f> {
    /// `error`.
    pub error: ErrorCode<'f>,
    /// `error_description`, when it is `1*NQSCHAR` once decoded.
    pub error_description: Option<RawValue<'f>>,
    /// True when an `error_description` came but broke its grammar and was left out.
    pub error_description_invalid: bool,
    /// `error_uri`, when it is `1*(%x21 / %x23-5B / %x5D-7E)` once decoded.
    pub error_uri: Option<RawValue<'f>>,
    /// `state`.
    pub state: Option<SecretValue<'f>>,
    /// `iss` (RFC 9207).
    pub iss: Option<RawValue<'f>>,
}

/// The denial as a provider means it to be read: the code, then the decoded
/// `error_description` (RFC 6749 §4.2.2.1), e.g. `access_denied: The user said no`.
///
/// ```
/// use implicit_grant::{AuthorizationResponse, parse_fragment};
/// let fragment = "error=access_denied&error_description=The+user+said+no%21&state=s";
/// let AuthorizationResponse::Error(e) = parse_fragment(fragment)? else { return Err("expected a denial".into()) };
/// assert_eq!(e.to_string(), "access_denied: The user said no!");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl fmt::Display for ErrorResponse<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.error)?;
        if let Some(description) = self.error_description {
            f.write_str(": ")?;
            description.write_ascii(f)?;
        }
        Ok(())
    }
}

impl ErrorResponse<'_> {
    /// Whether the provider needs the user to interact ([`ErrorCode::needs_interaction`]):
    /// the answer to a silent renewal ([`Config::silent`](crate::Config::silent)) that
    /// calls for an interactive login.
    ///
    /// ```
    /// use implicit_grant::{AuthorizationResponse, parse_fragment};
    /// let AuthorizationResponse::Error(e) = parse_fragment("#error=login_required&state=af0ifjsldkj")? else {
    ///     return Err("expected a denial".into());
    /// };
    /// assert!(e.needs_interaction());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn needs_interaction(&self) -> bool {
        self.error.needs_interaction()
    }
}

/// A parsed authorization response: success and error are distinct types.
#[derive(Clone, Copy, Debug)]
pub enum AuthorizationResponse<'f> {
    /// Tokens came back.
    Success(TokenResponse<'f>),
    /// The authorization server refused.
    Error(ErrorResponse<'f>),
}

impl<'f> AuthorizationResponse<'f> {
    /// The `state` of either kind of response.
    #[must_use]
    pub const fn state(&self) -> Option<SecretValue<'f>> {
        match self {
            Self::Success(s) => s.state,
            Self::Error(e) => e.state,
        }
    }

    /// The RFC 9207 `iss` of either kind of response.
    #[must_use]
    pub const fn iss(&self) -> Option<RawValue<'f>> {
        match self {
            Self::Success(s) => s.iss,
            Self::Error(e) => e.iss,
        }
    }
}

/// Parses the redirect URI's fragment: `#…`, the same without `#`, or a whole callback URL
/// (its fragment is read, and response parameters in its query are refused).
///
/// OIDC Core §3.2.2.5, RFC 6749 §4.2.2 and §4.2.2.1, App. B.
///
/// # Errors
/// [`ResponseError`]s: `NoResponseParameters` for an empty input, `InvalidCharacter`,
/// `MalformedPercentEncoding`, `InvalidUtf8`, `DuplicateParameter`, `InvalidParameter`,
/// `UnexpectedParameter(Code)`, `UnsupportedTokenType`, `AmbiguousResponse`,
/// `ResponseInQuery`, `TooLarge`, `TooManyParameters`.
///
/// # Security
/// Parsing proves nothing: check `state` (and the ID token) before trusting any value, as
/// the flow's `complete` does. Clear the fragment from the browser's history once read
/// (`history.replaceState`, RFC 6749 §3.1.2.5).
///
/// # Examples
/// ```
/// use implicit_grant::{AuthorizationResponse, TokenType, parse_fragment};
/// // RFC 6749 §4.2.2
/// let r = parse_fragment("#access_token=2YotnFZFEjr1zCsicMWpAA&state=xyz&token_type=example&expires_in=3600");
/// assert_eq!(r.err(), Some(implicit_grant::ResponseError::UnsupportedTokenType.into()));
/// let AuthorizationResponse::Success(ok) =
///     parse_fragment("#access_token=2YotnFZFEjr1zCsicMWpAA&state=xyz&token_type=bearer&expires_in=3600")?
/// else { return Err("expected a success".into()) };
/// assert_eq!((ok.token_type, ok.expires_in), (Some(TokenType::Bearer), Some(core::time::Duration::from_secs(3600))));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse_fragment(input: &str) -> Result<AuthorizationResponse<'_>, Error> {
    let (_, fragment) = split_callback(input)?;
    parse_params(fragment)
}

/// Parses a query (`?…`, the same without `?`, or a whole URL's query).
///
/// For responses that legitimately use the query (not the implicit flow, whose responses
/// must not: Multiple Response Types §5).
///
/// # Errors
/// As [`parse_fragment`].
///
/// ```
/// let r = implicit_grant::parse_query("https://client.example.org/cb?error=access_denied&state=xyz")?;
/// assert!(matches!(r, implicit_grant::AuthorizationResponse::Error(_)));
/// # Ok::<(), implicit_grant::Error>(())
/// ```
pub fn parse_query(input: &str) -> Result<AuthorizationResponse<'_>, Error> {
    let no_fragment = input.split_once('#').map_or(input, |(before, _)| before);
    let query = match no_fragment.split_once('?') {
        Some((_, query)) => query,
        None if scheme_end(no_fragment).is_some() => "",
        None => no_fragment,
    };
    parse_params(query)
}

/// Parses an `application/x-www-form-urlencoded` body of a `response_mode=form_post`
/// response (OAuth 2.0 Form Post Response Mode §2).
///
/// # Errors
/// As [`parse_fragment`].
///
/// ```
/// let r = implicit_grant::parse_form_post("error=login_required&state=af0ifjsldkj")?;
/// assert!(matches!(r, implicit_grant::AuthorizationResponse::Error(_)));
/// # Ok::<(), implicit_grant::Error>(())
/// ```
pub fn parse_form_post(body: &str) -> Result<AuthorizationResponse<'_>, Error> {
    parse_params(body)
}

/// Splits a callback input into the URL before `#` (when a whole URL was given) and the
/// fragment.
///
/// # Errors
/// [`ResponseError::ResponseInQuery`] when the URL's query carries response parameters.
pub(crate) fn split_callback(input: &str) -> Result<(Option<&str>, &str), ResponseError> {
    if let Some(fragment) = input.strip_prefix('#') {
        return Ok((None, fragment));
    }
    if scheme_end(input).is_none() {
        return Ok((None, input));
    }
    let (url, fragment) = input.split_once('#').unwrap_or((input, ""));
    let query = url.split_once('?').map_or("", |(_, q)| q);
    let in_query = form::pairs(query)
        .any(|(name, _)| percent::validate(name).is_ok() && known_index(name).is_some());
    if in_query {
        return Err(ResponseError::ResponseInQuery);
    }
    Ok((Some(url), fragment))
}

/// Splits a callback input of the query response mode into the URL without its query and
/// fragment (when a whole URL was given) and the query: `?…`, the same without `?`, or a
/// whole URL's.
///
/// # Errors
/// [`ResponseError::ResponseInFragment`] when the URL's fragment carries response
/// parameters (the mirror of [`split_callback`]'s check).
#[cfg(feature = "code")]
pub(crate) fn split_query_callback(input: &str) -> Result<(Option<&str>, &str), ResponseError> {
    if let Some(query) = input.strip_prefix('?') {
        return Ok((None, query));
    }
    if scheme_end(input).is_none() {
        return Ok((None, input));
    }
    let (url, fragment) = input.split_once('#').unwrap_or((input, ""));
    let in_fragment = form::pairs(fragment)
        .any(|(name, _)| percent::validate(name).is_ok() && known_index(name).is_some());
    if in_fragment {
        return Err(ResponseError::ResponseInFragment);
    }
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    Ok((Some(path), query))
}

const KNOWN: &[(&str, Param)] = &[
    ("access_token", Param::AccessToken),
    ("id_token", Param::IdToken),
    ("token_type", Param::TokenType),
    ("expires_in", Param::ExpiresIn),
    ("scope", Param::Scope),
    ("state", Param::State),
    ("error", Param::Error),
    ("error_description", Param::ErrorDescription),
    ("error_uri", Param::ErrorUri),
    ("iss", Param::Iss),
    ("code", Param::Code),
];

/// The index in [`KNOWN`] of the parameter a (validated, encoded) name decodes to.
fn known_index(name: &str) -> Option<usize> {
    if percent::is_verbatim(name) {
        KNOWN.iter().position(|&(known, _)| known == name)
    } else {
        KNOWN
            .iter()
            .position(|(known, _)| percent::decoded(name).eq(known.bytes()))
    }
}

/// Every known parameter's value, before the response is classified.
#[derive(Default)]
struct Params<'f> {
    values: [Option<RawValue<'f>>; KNOWN.len()],
    seen: [bool; KNOWN.len()],
    /// Bit `i`: value `i` is only `unreserved` bytes (the pair scan tells).
    plain: u32,
}

impl<'f> Params<'f> {
    fn get(&self, param: Param) -> Option<RawValue<'f>> {
        let i = KNOWN.iter().position(|&(_, p)| p == param)?;
        self.values.get(i).copied().flatten()
    }

    /// Whether the value of `param` is present and only `unreserved` bytes.
    fn plain(&self, param: Param) -> bool {
        KNOWN
            .iter()
            .position(|&(_, p)| p == param)
            .is_some_and(|i| self.plain.checked_shr(i as u32).is_some_and(|b| b & 1 == 1))
    }

    /// A value that must be `1*` of `class` once decoded.
    fn checked(
        &self,
        param: Param,
        class: impl Fn(u8) -> bool,
    ) -> Result<Option<RawValue<'f>>, ResponseError> {
        match self.get(param) {
            Some(v) if !v.all_decoded(class) => Err(ResponseError::InvalidParameter(param)),
            v => Ok(v),
        }
    }

    /// A value that must be `1*VSCHAR` once decoded (RFC 6749 App. A): known without a scan
    /// when the pair scan saw only `unreserved` bytes, as each of them is a VSCHAR.
    fn vschars(&self, param: Param) -> Result<Option<RawValue<'f>>, ResponseError> {
        if self.plain(param) {
            return Ok(self.get(param));
        }
        self.checked(param, syntax::is_vschar)
    }

    /// A value kept only when it is `1*` of `class` once decoded; `Err(())` when dropped.
    fn lenient(
        &self,
        param: Param,
        class: impl Fn(u8) -> bool,
    ) -> Result<Option<RawValue<'f>>, ()> {
        match self.get(param) {
            Some(v) if !v.all_decoded(class) => Err(()),
            v => Ok(v),
        }
    }
}

/// Parses `name=value&…` pairs (no `#`, `?` or URL around them).
pub(crate) fn parse_params(input: &str) -> Result<AuthorizationResponse<'_>, Error> {
    classify(&scan(input)?).map_err(Error::from)
}

/// The known parameters of `name=value&…` pairs, each once, validated but not classified.
fn scan(input: &str) -> Result<Params<'_>, Error> {
    if input.len() > MAX_RESPONSE_LEN {
        return Err(ResponseError::TooLarge.into());
    }
    let mut params = Params::default();
    let mut count = 0usize;
    for pair in form::checked_pairs(input) {
        let (name, value, plain) = pair?;
        count = count.saturating_add(1);
        if count > MAX_PARAMS {
            return Err(ResponseError::TooManyParameters.into());
        }
        if value.len() > MAX_VALUE_LEN {
            return Err(ResponseError::TooLarge.into());
        }
        let Some(i) = known_index(name) else {
            continue;
        };
        let (Some(seen), Some(slot)) = (params.seen.get_mut(i), params.values.get_mut(i)) else {
            continue;
        };
        if core::mem::replace(seen, true) {
            let param = KNOWN.get(i).map_or(Param::Extra, |&(_, p)| p);
            return Err(ResponseError::DuplicateParameter(param).into());
        }
        if !value.is_empty() {
            *slot = Some(RawValue::new(value));
            params.plain |= u32::from(plain).checked_shl(i as u32).unwrap_or(0);
        }
    }
    if count == 0 {
        return Err(ResponseError::NoResponseParameters.into());
    }
    Ok(params)
}

/// The error response, when `error` is there (with `state` and `iss` already read).
fn error_response<'f>(
    p: &Params<'f>,
    state: Option<SecretValue<'f>>,
    iss: Option<RawValue<'f>>,
) -> Result<Option<ErrorResponse<'f>>, ResponseError> {
    let Some(error) = p.checked(Param::Error, syntax::is_nqschar)? else {
        return Ok(None);
    };
    if p.get(Param::AccessToken).is_some() || p.get(Param::IdToken).is_some() {
        return Err(ResponseError::AmbiguousResponse);
    }
    let description = p.lenient(Param::ErrorDescription, syntax::is_nqschar);
    Ok(Some(ErrorResponse {
        error: ErrorCode::from_value(error),
        error_description_invalid: description.is_err(),
        error_description: description.unwrap_or(None),
        error_uri: p
            .lenient(Param::ErrorUri, syntax::is_nqchar)
            .unwrap_or(None),
        state,
        iss,
    }))
}

/// The response to a `code` request (RFC 6749 §4.1.2, §4.1.2.1).
#[cfg(feature = "code")]
#[derive(Clone, Copy)]
pub(crate) enum CodeResponse<'f> {
    /// `code`, `1*VSCHAR` once decoded (App. A.11).
    Code {
        code: SecretValue<'f>,
        state: Option<SecretValue<'f>>,
        iss: Option<RawValue<'f>>,
    },
    Error(ErrorResponse<'f>),
}

#[cfg(feature = "code")]
impl<'f> CodeResponse<'f> {
    pub(crate) const fn state(&self) -> Option<SecretValue<'f>> {
        match self {
            Self::Code { state, .. } => *state,
            Self::Error(e) => e.state,
        }
    }

    pub(crate) const fn iss(&self) -> Option<RawValue<'f>> {
        match self {
            Self::Code { iss, .. } => *iss,
            Self::Error(e) => e.iss,
        }
    }
}

/// Parses the `name=value&…` pairs of a response to a `code` request: a `code`, or an
/// error. An access or ID token there is refused (RFC 9700 §2.1.2: a code request never
/// asks for tokens in the redirect, so they can only be injected or a downgrade).
#[cfg(feature = "code")]
pub(crate) fn parse_code_params(input: &str) -> Result<CodeResponse<'_>, Error> {
    let p = scan(input)?;
    let state = p.vschars(Param::State)?.map(SecretValue::new);
    let iss = p.vschars(Param::Iss)?;
    if p.get(Param::Error).is_some() && p.get(Param::Code).is_some() {
        return Err(ResponseError::AmbiguousResponse.into());
    }
    if let Some(denial) = error_response(&p, state, iss)? {
        return Ok(CodeResponse::Error(denial));
    }
    for token in [Param::AccessToken, Param::IdToken] {
        if p.get(token).is_some() {
            return Err(ResponseError::UnexpectedParameter(token).into());
        }
    }
    let code = p
        .vschars(Param::Code)?
        .ok_or(ResponseError::MissingParameter(Param::Code))?;
    Ok(CodeResponse::Code {
        code: SecretValue::new(code),
        state,
        iss,
    })
}

fn classify<'f>(p: &Params<'f>) -> Result<AuthorizationResponse<'f>, ResponseError> {
    let state = p.vschars(Param::State)?.map(SecretValue::new);
    let iss = p.vschars(Param::Iss)?;
    if let Some(denial) = error_response(p, state, iss)? {
        return Ok(AuthorizationResponse::Error(denial));
    }
    if p.get(Param::Code).is_some() {
        return Err(ResponseError::UnexpectedParameter(Param::Code));
    }
    let token_type = match p.get(Param::TokenType) {
        None => None,
        Some(v) if v.decoded().map(|b| b.to_ascii_lowercase()).eq(*b"bearer") => {
            Some(TokenType::Bearer)
        }
        Some(_) => return Err(ResponseError::UnsupportedTokenType),
    };
    let expires_in = p
        .get(Param::ExpiresIn)
        .map(|v| {
            read_decimal(v.decoded())
                .map(Duration::from_secs)
                .ok_or(ResponseError::InvalidParameter(Param::ExpiresIn))
        })
        .transpose()?;
    let scope = p.get(Param::Scope);
    if scope.is_some_and(|s| !syntax::is_nqchar_list(s.decoded())) {
        return Err(ResponseError::InvalidParameter(Param::Scope));
    }
    // A compact JWS is base64url and dots once decoded; an encoder may still have escaped
    // some of them (`%2E`), which decodes like any other value (App. B).
    let id_token = p.checked(Param::IdToken, syntax::is_jws_char)?;
    Ok(AuthorizationResponse::Success(TokenResponse {
        access_token: p.vschars(Param::AccessToken)?.map(SecretValue::new),
        id_token: id_token.map(SecretValue::new),
        token_type,
        expires_in,
        scope: scope.map(Scope::new),
        state,
        iss,
    }))
}

/// `1*DIGIT` as a `u64`; `None` on anything else, and on a number past `u64::MAX`: RFC 6749
/// App. A.14 sets no bound, but no provider means a lifetime of 2⁶⁴ seconds or more, and
/// reading one as the largest would hide garbage.
pub(crate) fn read_decimal(digits: impl Iterator<Item = u8>) -> Option<u64> {
    let mut n = 0u64;
    let mut any = false;
    for b in digits {
        let digit = char::from(b).to_digit(10)?;
        n = n.checked_mul(10)?.checked_add(u64::from(digit))?;
        any = true;
    }
    any.then_some(n)
}

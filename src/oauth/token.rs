//! The token endpoint's messages, sans-IO: the request the host POSTs (RFC 6749 §4.1.3,
//! §6; RFC 7636 §4.5) written into caller buffers, and the response it reads back (§5.1,
//! §5.2; OIDC Core §3.1.3.3) parsed from the status and body it received.

use core::fmt;
use core::time::Duration;

use crate::codec::base64url::StandardEncoder;
use crate::codec::json::{self, JsonError, Value};
use crate::codec::percent;
use crate::codec::sink::{self, Sink};
use crate::error::{ConfigError, Error, ResponseError};
use crate::flow::Config;
use crate::oauth::authorize::required;
use crate::oauth::param::Param;
use crate::oauth::pkce::CodeVerifier;
use crate::oauth::response::{TokenType, read_decimal};
use crate::oauth::syntax;
use crate::secret::{AccessToken, ClientSecret, IdToken, RefreshToken, redacted};

/// How the client authenticates at the token endpoint (RFC 6749 §2.3.1; OIDC Core §9).
///
/// A browser app or a device is a public client: it has no secret and sends its
/// `client_id` in the body ([`TokenRequest`] without [`TokenRequest::client_secret`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ClientAuthMethod {
    /// `client_secret_basic`: an `Authorization: Basic` header over the form-encoded
    /// `client_id` and secret (RFC 6749 §2.3.1, which every server must support).
    SecretBasic,
    /// `client_secret_post`: `client_id` and `client_secret` in the body (RFC 6749 §2.3.1
    /// calls it NOT RECOMMENDED, for servers that cannot read the header).
    SecretPost,
}

#[derive(Clone, Copy)]
enum Grant<'a> {
    AuthorizationCode {
        code: &'a str,
        redirect_uri: &'a str,
        verifier: CodeVerifier<'a>,
    },
    RefreshToken {
        refresh_token: RefreshToken<'a>,
        scope: &'a [&'a str],
    },
}

/// A token request (RFC 6749 §4.1.3 with RFC 7636 §4.5, or §6), checked when made: writing
/// it can only fail on the size of the caller's buffer.
///
/// The host POSTs [`Self::body`] to the provider's token endpoint with
/// `Content-Type: application/x-www-form-urlencoded` ([`Self::CONTENT_TYPE`]) and, for
/// `client_secret_basic`, the [`Self::authorization`] header; then hands the status and
/// body to [`parse_token_response`].
///
/// # Examples
/// ```
/// use implicit_grant::*;
/// let config = Config::builder(
///     Issuer::new("https://server.example.com"),
///     AuthorizationEndpoint::new("https://server.example.com/authorize"),
///     ClientId::new("s6BhdRkqt3"),
///     RedirectUri::new("https://client.example.com/cb"),
/// )
/// .build()?;
/// let verifier = CodeVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")?;
/// let request = TokenRequest::authorization_code(&config, "SplxlOBeZQQYbYS6WxSbIA", verifier)?;
/// let mut body = [0u8; 256];
/// assert_eq!(
///     request.body(&mut body)?,
///     "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA\
///      &redirect_uri=https%3A%2F%2Fclient.example.com%2Fcb\
///      &code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk&client_id=s6BhdRkqt3"
/// );
/// assert_eq!(request.authorization(&mut [0u8; 64])?, None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy)]
pub struct TokenRequest<'a> {
    grant: Grant<'a>,
    endpoint: Option<&'a str>,
    client_id: &'a str,
    secret: Option<(ClientSecret<'a>, ClientAuthMethod)>,
}

impl<'a> TokenRequest<'a> {
    /// The media type of [`Self::body`] (RFC 6749 App. B).
    pub const CONTENT_TYPE: &'static str = "application/x-www-form-urlencoded";

    /// Redeems an authorization `code` (RFC 6749 §4.1.3) with the PKCE `verifier` its
    /// authorization request was made with (RFC 7636 §4.5), for `config`'s client and
    /// redirect URI.
    ///
    /// # Errors
    /// [`ConfigError::Missing`]`(`[`Param::Code`]`)` for an empty code,
    /// [`ConfigError::Invalid`]`(`[`Param::Code`]`)` for one that is not `1*VSCHAR`
    /// (RFC 6749 App. A.11).
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://op.example"),
    /// #     AuthorizationEndpoint::new("https://op.example/authorize"), ClientId::new("c"),
    /// #     RedirectUri::new("https://rp.example/cb")).build()?;
    /// let verifier = CodeVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")?;
    /// let refused = TokenRequest::authorization_code(&config, "a\nb", verifier);
    /// assert_eq!(refused.err(), Some(ConfigError::Invalid(Param::Code)));
    /// # Ok::<(), ConfigError>(())
    /// ```
    pub fn authorization_code(
        config: &Config<'a>,
        code: &'a str,
        verifier: CodeVerifier<'a>,
    ) -> Result<Self, ConfigError> {
        required(code, Param::Code)?;
        Ok(Self {
            grant: Grant::AuthorizationCode {
                code,
                redirect_uri: config.redirect_uri().as_str(),
                verifier,
            },
            endpoint: config.token_endpoint(),
            client_id: config.client_id().as_str(),
            secret: None,
        })
    }

    /// Refreshes the access token with a `refresh_token` (RFC 6749 §6), for `config`'s
    /// client.
    ///
    /// # Errors
    /// [`ConfigError::Missing`] or [`ConfigError::Invalid`] with [`Param::RefreshToken`]:
    /// empty, or not `1*VSCHAR` (RFC 6749 App. A.17).
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://op.example"),
    /// #     AuthorizationEndpoint::new("https://op.example/authorize"), ClientId::new("s6BhdRkqt3"),
    /// #     RedirectUri::new("https://rp.example/cb")).build()?;
    /// // RFC 6749 §6, as a public client
    /// let request = TokenRequest::refresh(&config, RefreshToken::new("tGzv3JOkF0XG5Qx2TlKWIA"))?;
    /// let mut body = [0u8; 128];
    /// assert_eq!(
    ///     request.body(&mut body)?,
    ///     "grant_type=refresh_token&refresh_token=tGzv3JOkF0XG5Qx2TlKWIA&client_id=s6BhdRkqt3"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn refresh(
        config: &Config<'a>,
        refresh_token: RefreshToken<'a>,
    ) -> Result<Self, ConfigError> {
        required(refresh_token.expose_secret(), Param::RefreshToken)?;
        Ok(Self {
            grant: Grant::RefreshToken {
                refresh_token,
                scope: &[],
            },
            endpoint: config.token_endpoint(),
            client_id: config.client_id().as_str(),
            secret: None,
        })
    }

    /// Asks a refresh for less than the original grant (RFC 6749 §6: `scope`, each token
    /// granted before).
    ///
    /// # Errors
    /// [`ConfigError::Forbidden`]`(`[`Param::Scope`]`)` on a code grant (its scope is the
    /// authorization request's); [`ConfigError::Invalid`]`(`[`Param::Scope`]`)` for an
    /// empty list or a token that is not `1*NQCHAR` (RFC 6749 §3.3).
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://op.example"),
    /// #     AuthorizationEndpoint::new("https://op.example/authorize"), ClientId::new("c"),
    /// #     RedirectUri::new("https://rp.example/cb")).build()?;
    /// let request = TokenRequest::refresh(&config, RefreshToken::new("r"))?.scope(&["openid", "read"])?;
    /// let mut body = [0u8; 128];
    /// assert!(request.body(&mut body)?.contains("&scope=openid%20read&"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn scope(mut self, scope: &'a [&'a str]) -> Result<Self, ConfigError> {
        let Grant::RefreshToken { scope: slot, .. } = &mut self.grant else {
            return Err(ConfigError::Forbidden(Param::Scope));
        };
        let valid = |token: &&str| syntax::all_of(token.bytes(), syntax::is_nqchar);
        if scope.is_empty() || !scope.iter().all(valid) {
            return Err(ConfigError::Invalid(Param::Scope));
        }
        *slot = scope;
        Ok(self)
    }

    /// Makes the request a confidential client's, authenticated with `secret` by `method`.
    ///
    /// # Errors
    /// [`ConfigError::Missing`] or [`ConfigError::Invalid`] with [`Param::ClientSecret`]:
    /// empty (a client without a secret is public: leave this out), or not `*VSCHAR`
    /// (RFC 6749 App. A.2).
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://op.example"),
    /// #     AuthorizationEndpoint::new("https://op.example/authorize"), ClientId::new("s6BhdRkqt3"),
    /// #     RedirectUri::new("https://rp.example/cb")).build()?;
    /// // RFC 6749 §2.3.1
    /// let request = TokenRequest::refresh(&config, RefreshToken::new("tGzv3JOkF0XG5Qx2TlKWIA"))?
    ///     .client_secret(ClientSecret::new("gX1fBat3bV"), ClientAuthMethod::SecretBasic)?;
    /// let mut header = [0u8; 64];
    /// assert_eq!(request.authorization(&mut header)?, Some("Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn client_secret(
        mut self,
        secret: ClientSecret<'a>,
        method: ClientAuthMethod,
    ) -> Result<Self, ConfigError> {
        required(secret.expose_secret(), Param::ClientSecret)?;
        self.secret = Some((secret, method));
        Ok(self)
    }

    /// Writes the `application/x-www-form-urlencoded` body into `out`.
    ///
    /// `client_id` is in the body unless the client authenticates with
    /// `client_secret_basic` (RFC 6749 §4.1.3: required when the client does not
    /// authenticate; §3.2.1).
    ///
    /// # Errors
    /// [`Error::BufferTooSmall`] with the exact length (`out` untouched).
    ///
    /// # Security
    /// The body holds the code and verifier, or the refresh token, and any client secret:
    /// keep it out of logs.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://op.example"),
    /// #     AuthorizationEndpoint::new("https://op.example/authorize"), ClientId::new("c"),
    /// #     RedirectUri::new("https://rp.example/cb")).build()?;
    /// let request = TokenRequest::refresh(&config, RefreshToken::new("r"))?
    ///     .client_secret(ClientSecret::new("s e"), ClientAuthMethod::SecretPost)?;
    /// let mut body = [0u8; 128];
    /// assert_eq!(
    ///     request.body(&mut body)?,
    ///     "grant_type=refresh_token&refresh_token=r&client_id=c&client_secret=s%20e"
    /// );
    /// assert_eq!(request.body(&mut [0u8; 8]).err(), Some(Error::BufferTooSmall { required: 72 }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn body<'o>(&self, out: &'o mut [u8]) -> Result<&'o str, Error> {
        Ok(sink::write_exact(out, |w| self.render_body(w))?)
    }

    /// Where to POST it: the configuration's [`Config::token_endpoint`], checked when it
    /// was built; `None` when it has none (the host knows the endpoint itself).
    ///
    /// ```
    /// # use implicit_grant::*;
    /// let config = Config::builder(Issuer::new("https://op.example"),
    ///     AuthorizationEndpoint::new("https://op.example/authorize"), ClientId::new("c"),
    ///     RedirectUri::new("https://rp.example/cb"))
    ///     .token_endpoint(TokenEndpoint::new("https://op.example/token"))
    ///     .build()?;
    /// let request = TokenRequest::refresh(&config, RefreshToken::new("r"))?;
    /// assert_eq!(request.endpoint(), Some("https://op.example/token"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn endpoint(&self) -> Option<&'a str> {
        self.endpoint
    }

    /// Writes the `Authorization` header value for `client_secret_basic` into `out`:
    /// `Basic` and the base64 (RFC 4648 §4) of the form-encoded client identifier, a colon
    /// and the form-encoded secret (RFC 6749 §2.3.1). `None` for any other method.
    ///
    /// # Errors
    /// [`Error::BufferTooSmall`] with the exact length (`out` untouched).
    ///
    /// # Security
    /// The header carries the client secret: keep it out of logs.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://op.example"),
    /// #     AuthorizationEndpoint::new("https://op.example/authorize"), ClientId::new("s6BhdRkqt3"),
    /// #     RedirectUri::new("https://rp.example/cb")).build()?;
    /// let request = TokenRequest::refresh(&config, RefreshToken::new("r"))?
    ///     .client_secret(ClientSecret::new("gX1fBat3bV"), ClientAuthMethod::SecretBasic)?;
    /// assert_eq!(request.authorization(&mut [0u8; 8]).err(), Some(Error::BufferTooSmall { required: 34 }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn authorization<'o>(&self, out: &'o mut [u8]) -> Result<Option<&'o str>, Error> {
        let Some((secret, ClientAuthMethod::SecretBasic)) = self.secret else {
            return Ok(None);
        };
        let header = sink::write_exact(out, |w| {
            w.put("Basic ")?;
            let mut base64 = StandardEncoder::new(|chars| w.put(chars));
            percent::encode(self.client_id, |piece| base64.write(piece.as_bytes()))?;
            base64.write(b":")?;
            percent::encode(secret.expose_secret(), |piece| {
                base64.write(piece.as_bytes())
            })?;
            base64.finish()
        })?;
        Ok(Some(header))
    }

    fn render_body(&self, w: &mut dyn Sink) -> fmt::Result {
        match self.grant {
            Grant::AuthorizationCode {
                code,
                redirect_uri,
                verifier,
            } => {
                w.put("grant_type=authorization_code&code=")?;
                w.put_encoded(code)?;
                w.put("&redirect_uri=")?;
                w.put_encoded(redirect_uri)?;
                w.put("&code_verifier=")?;
                // `unreserved` only (RFC 7636 §4.1): nothing to escape.
                w.put(verifier.expose_secret())?;
            }
            Grant::RefreshToken {
                refresh_token,
                scope,
            } => {
                w.put("grant_type=refresh_token&refresh_token=")?;
                w.put_encoded(refresh_token.expose_secret())?;
                for (i, token) in scope.iter().enumerate() {
                    w.put(if i == 0 { "&scope=" } else { "%20" })?;
                    w.put_encoded(token)?;
                }
            }
        }
        match self.secret {
            Some((_, ClientAuthMethod::SecretBasic)) => Ok(()),
            Some((secret, ClientAuthMethod::SecretPost)) => {
                w.put("&client_id=")?;
                w.put_encoded(self.client_id)?;
                w.put("&client_secret=")?;
                w.put_encoded(secret.expose_secret())
            }
            None => {
                w.put("&client_id=")?;
                w.put_encoded(self.client_id)
            }
        }
    }
}

/// The grant type, the client and how it authenticates; the code, verifier, refresh token
/// and secret redacted.
impl fmt::Debug for TokenRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let grant = match self.grant {
            Grant::AuthorizationCode { .. } => "authorization_code",
            Grant::RefreshToken { .. } => "refresh_token",
        };
        f.debug_struct("TokenRequest")
            .field("grant_type", &grant)
            .field("endpoint", &self.endpoint)
            .field("client_id", &self.client_id)
            .field("client_auth", &self.secret.map(|(_, method)| method))
            .field("secret", &redacted(self.secret.as_ref()))
            .finish_non_exhaustive()
    }
}

/// The tokens of a successful token response (RFC 6749 §5.1, OIDC Core §3.1.3.3).
///
/// # Security
/// Nothing here is verified yet: the ID token's signature and claims are checked by the
/// flow (or [`verify_id_token`](crate::verify_id_token)) before the tokens are used.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct IssuedTokens<'s> {
    /// `access_token`: `1*VSCHAR`.
    pub access_token: AccessToken<'s>,
    /// `token_type`: `Bearer`, compared case-insensitively (RFC 6749 §5.1, §7.1).
    pub token_type: TokenType,
    /// `expires_in`, whole seconds.
    pub expires_in: Option<Duration>,
    /// `refresh_token`: `1*VSCHAR`.
    pub refresh_token: Option<RefreshToken<'s>>,
    /// `scope`: `1*NQCHAR *( SP 1*NQCHAR )`, when the granted scope differs from the
    /// requested one (RFC 6749 §3.3); or empty, no scope granted (oidc-provider sends `""`
    /// for an access token bound to a resource none of whose scopes was asked).
    pub scope: Option<&'s str>,
    /// `id_token`: base64url and dots.
    pub id_token: Option<IdToken<'s>>,
}

/// An error code of the token endpoint (RFC 6749 §5.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenErrorCode<'s> {
    /// `invalid_request`
    InvalidRequest,
    /// `invalid_client`: client authentication failed.
    InvalidClient,
    /// `invalid_grant`: the code or refresh token is invalid, expired, revoked, already
    /// used, or was issued to another client or redirect URI; or the PKCE verifier does
    /// not match (RFC 7636 §4.6). The user must log in again.
    InvalidGrant,
    /// `unauthorized_client`
    UnauthorizedClient,
    /// `unsupported_grant_type`
    UnsupportedGrantType,
    /// `invalid_scope`
    InvalidScope,
    /// Any other code, as sent (`1*NQSCHAR`).
    Other(&'s str),
}

const TOKEN_ERROR_CODES: &[(&str, TokenErrorCode<'static>)] = &[
    ("invalid_request", TokenErrorCode::InvalidRequest),
    ("invalid_client", TokenErrorCode::InvalidClient),
    ("invalid_grant", TokenErrorCode::InvalidGrant),
    ("unauthorized_client", TokenErrorCode::UnauthorizedClient),
    (
        "unsupported_grant_type",
        TokenErrorCode::UnsupportedGrantType,
    ),
    ("invalid_scope", TokenErrorCode::InvalidScope),
];

impl<'s> TokenErrorCode<'s> {
    fn from_str(code: &'s str) -> Self {
        TOKEN_ERROR_CODES
            .iter()
            .find(|&&(name, _)| name == code)
            .map_or(Self::Other(code), |&(_, known)| known)
    }

    /// The code as sent.
    ///
    /// ```
    /// use implicit_grant::TokenErrorCode;
    /// assert_eq!(TokenErrorCode::InvalidGrant.as_str(), "invalid_grant");
    /// assert_eq!(TokenErrorCode::Other("slow_down").as_str(), "slow_down");
    /// ```
    #[must_use]
    pub fn as_str(&self) -> &'s str {
        match self {
            Self::Other(code) => code,
            known => TOKEN_ERROR_CODES
                .iter()
                .find(|(_, c)| c == known)
                .map_or("", |&(name, _)| name),
        }
    }
}

/// An error response of the token endpoint (RFC 6749 §5.2).
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct TokenErrorResponse<'s> {
    /// `error`.
    pub error: TokenErrorCode<'s>,
    /// `error_description`, when it is `1*NQSCHAR`.
    pub error_description: Option<&'s str>,
    /// True when an `error_description` came but broke its grammar and was left out.
    pub error_description_invalid: bool,
    /// `error_uri`, when it is `1*NQCHAR` (RFC 6749 App. A.8).
    pub error_uri: Option<&'s str>,
}

/// The code, then the description: `invalid_grant: code was already used`.
///
/// ```
/// use implicit_grant::{TokenEndpointResponse, parse_token_response};
/// let body = r#"{"error":"invalid_grant","error_description":"code was already used"}"#;
/// let mut scratch = [0u8; 128];
/// let TokenEndpointResponse::Denied(denied) = parse_token_response(400, body, &mut scratch)? else {
///     return Err("expected a denial".into());
/// };
/// assert_eq!(denied.to_string(), "invalid_grant: code was already used");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl fmt::Display for TokenErrorResponse<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.error.as_str())?;
        if let Some(description) = self.error_description {
            write!(f, ": {description}")?;
        }
        Ok(())
    }
}

/// A parsed token endpoint response: tokens, or the server's refusal.
#[derive(Clone, Copy, Debug)]
pub enum TokenEndpointResponse<'s> {
    /// `200 OK` with tokens (RFC 6749 §5.1).
    Issued(IssuedTokens<'s>),
    /// `400 Bad Request` or `401 Unauthorized` with an error (RFC 6749 §5.2).
    Denied(TokenErrorResponse<'s>),
}

/// Parses the token endpoint's answer: its HTTP `status` and JSON `body` (RFC 6749 §5.1,
/// §5.2), canonicalized into `scratch`, which the result borrows (the canonical text is
/// never longer than the body).
///
/// Strict: the body is one JSON object with no duplicate member; `access_token` and
/// `token_type` (`Bearer`, in any case) are required in a success, `error` in a denial;
/// `expires_in` is a JSON integer, each other member a string of its grammar (a `null`
/// is refused, not read as absent). Other members are ignored (§5.1).
///
/// # Errors
/// [`ResponseError::UnexpectedStatus`] for a status other than 200, 400 and 401, or one
/// that does not match the body (tokens with 400, an error with 200);
/// [`ResponseError::InvalidJson`], [`ResponseError::DuplicateMember`],
/// [`ResponseError::MissingParameter`], [`ResponseError::InvalidParameter`],
/// [`ResponseError::UnsupportedTokenType`], [`ResponseError::AmbiguousResponse`];
/// [`Error::BufferTooSmall`] with the exact size of the canonical text.
///
/// # Security
/// Only read a body that came from the token endpoint over TLS, in answer to this
/// client's request: that exchange is what makes it authentic (OIDC Core §3.1.3.7 step 6).
///
/// # Examples
/// ```
/// use implicit_grant::{TokenEndpointResponse, TokenType, parse_token_response};
/// // RFC 6749 §5.1
/// let body = r#"{
///   "access_token":"2YotnFZFEjr1zCsicMWpAA",
///   "token_type":"Bearer",
///   "expires_in":3600,
///   "refresh_token":"tGzv3JOkF0XG5Qx2TlKWIA",
///   "example_parameter":"example_value"
/// }"#;
/// let mut scratch = [0u8; 256];
/// let TokenEndpointResponse::Issued(tokens) = parse_token_response(200, body, &mut scratch)? else {
///     return Err("expected tokens".into());
/// };
/// assert_eq!(tokens.access_token.expose_secret(), "2YotnFZFEjr1zCsicMWpAA");
/// assert_eq!(tokens.token_type, TokenType::Bearer);
/// assert_eq!(tokens.expires_in, Some(core::time::Duration::from_secs(3600)));
/// assert_eq!(tokens.refresh_token.ok_or("no refresh token")?.expose_secret(), "tGzv3JOkF0XG5Qx2TlKWIA");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse_token_response<'s>(
    status: u16,
    body: &str,
    scratch: &'s mut [u8],
) -> Result<TokenEndpointResponse<'s>, Error> {
    if !matches!(status, 200 | 400 | 401) {
        return Err(ResponseError::UnexpectedStatus.into());
    }
    let len = match json::canonicalize(body.as_bytes(), scratch) {
        Ok(len) => len,
        Err(JsonError::OutputTooShort) => {
            let required = json::canonical_len(body.as_bytes()).unwrap_or(body.len());
            return Err(Error::BufferTooSmall { required });
        }
        Err(JsonError::DuplicateMember) => return Err(ResponseError::DuplicateMember.into()),
        Err(_) => return Err(ResponseError::InvalidJson.into()),
    };
    let canonical = scratch.get_mut(..len).ok_or(ResponseError::InvalidJson)?;
    read(status, canonical)
}

/// [`parse_token_response`] for a caller that needs `room(body)` more bytes of `scratch`
/// after the canonical body (measured on the raw, validated body, before anything is
/// written): the response, and that rest of `scratch`. A shorter `scratch` is refused with
/// the total.
pub(crate) fn parse_token_response_with_room<'s>(
    status: u16,
    body: &str,
    scratch: &'s mut [u8],
    room: impl FnOnce(&str) -> usize,
) -> Result<(TokenEndpointResponse<'s>, &'s mut [u8]), Error> {
    if !matches!(status, 200 | 400 | 401) {
        return Err(ResponseError::UnexpectedStatus.into());
    }
    let canonical = json::canonical_len(body.as_bytes()).map_err(|_| ResponseError::InvalidJson)?;
    let required = canonical.saturating_add(room(body));
    if scratch.len() < required {
        return Err(Error::BufferTooSmall { required });
    }
    let (head, rest) = scratch.split_at_mut(canonical);
    Ok((parse_token_response(status, body, head)?, rest))
}

/// The raw (validated) body's `id_token`, when it is a string without escapes.
pub(crate) fn raw_id_token(body: &str) -> Option<&str> {
    raw_member(body, "id_token").and_then(|value| value.plain_str().flatten())
}

/// The raw (validated) body's `scope` as it reads once JSON escapes are undone: its
/// length in bytes and how many `%` and `+` it holds; `None` without a string `scope`.
pub(crate) fn raw_scope_counts(body: &str) -> Option<(usize, usize)> {
    let Value::Str(contents, _) = raw_member(body, "scope")? else {
        return None;
    };
    let (mut len, mut special) = (0usize, 0usize);
    let mut bytes = contents.bytes();
    while let Some(b) = bytes.next() {
        let (bytes_out, c) = match b {
            b'\\' => match bytes.next()? {
                b'u' => {
                    let unit = hex4(&mut bytes)?;
                    // A high surrogate's pair follows (the JSON was validated): one
                    // four-byte character for both.
                    if (0xD800..0xDC00).contains(&unit) {
                        bytes.nth(1)?;
                        hex4(&mut bytes)?;
                        (4, 0)
                    } else {
                        let width = match unit {
                            0..0x80 => 1,
                            0x80..0x800 => 2,
                            _ => 3,
                        };
                        (width, unit)
                    }
                }
                escaped => (1, u32::from(escaped)),
            },
            b => (1, u32::from(b)),
        };
        len = len.saturating_add(bytes_out);
        if c == u32::from(b'%') || c == u32::from(b'+') {
            special = special.saturating_add(1);
        }
    }
    Some((len, special))
}

/// Four hex digits of a `\u` escape.
fn hex4(bytes: &mut impl Iterator<Item = u8>) -> Option<u32> {
    (0..4).try_fold(0u32, |n, _| {
        let digit = char::from(bytes.next()?).to_digit(16)?;
        n.checked_mul(16)?.checked_add(digit)
    })
}

fn raw_member<'b>(body: &'b str, name: &str) -> Option<Value<'b>> {
    // JSON whitespace around the object (RFC 8259 §2).
    let object = body.trim_matches([' ', '\t', '\n', '\r']);
    json::members(object)
        .map_while(Result::ok)
        .find(|&(member, _)| member == name)
        .map(|(_, value)| value)
}

/// Where a member's value lies in the canonical text: a string's contents (and whether they
/// hold an escape) or a number's digits, as byte ranges; any other value by its kind.
#[derive(Clone, Copy)]
enum Span {
    Str(usize, usize, bool),
    Num(usize, usize),
    Other,
}

impl Span {
    fn of(text: &str, value: Value<'_>) -> Self {
        let range = |part: &str| {
            let start = (part.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
            (start, start.saturating_add(part.len()))
        };
        match value {
            Value::Str(s, escaped) => {
                let (start, end) = range(s);
                Self::Str(start, end, escaped)
            }
            Value::Num(digits) => {
                let (start, end) = range(digits);
                Self::Num(start, end)
            }
            _ => Self::Other,
        }
    }

    fn value(self, text: &str) -> Option<Value<'_>> {
        match self {
            Self::Str(start, end, escaped) => Some(Value::Str(text.get(start..end)?, escaped)),
            Self::Num(start, end) => Some(Value::Num(text.get(start..end)?)),
            Self::Other => None,
        }
    }
}

/// The members of a token response, as found.
#[derive(Default)]
struct Members {
    access_token: Option<Span>,
    token_type: Option<Span>,
    expires_in: Option<Span>,
    refresh_token: Option<Span>,
    scope: Option<Span>,
    id_token: Option<Span>,
    error: Option<Span>,
    error_description: Option<Span>,
    error_uri: Option<Span>,
}

impl Members {
    fn find(text: &str) -> Result<Self, ResponseError> {
        let mut m = Self::default();
        for member in json::members(text) {
            let (name, value) = member.map_err(|_| ResponseError::InvalidJson)?;
            let slot = match name {
                "access_token" => &mut m.access_token,
                "token_type" => &mut m.token_type,
                "expires_in" => &mut m.expires_in,
                "refresh_token" => &mut m.refresh_token,
                "scope" => &mut m.scope,
                "id_token" => &mut m.id_token,
                "error" => &mut m.error,
                "error_description" => &mut m.error_description,
                "error_uri" => &mut m.error_uri,
                _ => continue,
            };
            *slot = Some(Span::of(text, value));
        }
        Ok(m)
    }
}

fn read(status: u16, canonical: &mut [u8]) -> Result<TokenEndpointResponse<'_>, Error> {
    let text = core::str::from_utf8(canonical).map_err(|_| ResponseError::InvalidJson)?;
    let mut m = Members::find(text)?;
    // The two `1*VSCHAR` tokens may hold `"` or `\`, which the canonical text keeps
    // escaped: each is unescaped where it lies, into its own (longer) escaped text.
    for (slot, param) in [
        (&mut m.access_token, Param::AccessToken),
        (&mut m.refresh_token, Param::RefreshToken),
    ] {
        if let Some(Span::Str(start, end, true)) = *slot {
            let len = unescape_in_place(canonical.get_mut(start..end), param)?;
            *slot = Some(Span::Str(start, start.saturating_add(len), false));
        }
    }
    let canonical: &[u8] = canonical;
    // Escaped text became the shorter ASCII it stands for: still UTF-8.
    let text = core::str::from_utf8(canonical).map_err(|_| ResponseError::InvalidJson)?;
    let member = |span: Option<Span>, param| {
        span.map(|s| s.value(text).ok_or(ResponseError::InvalidParameter(param)))
            .transpose()
    };
    if let Some(error) = member(m.error, Param::Error)? {
        if m.access_token.is_some() || m.id_token.is_some() || m.refresh_token.is_some() {
            return Err(ResponseError::AmbiguousResponse.into());
        }
        if status == 200 {
            return Err(ResponseError::UnexpectedStatus.into());
        }
        let error = plain(error, Param::Error, syntax::is_nqschar)?;
        let description = member(m.error_description, Param::ErrorDescription).and_then(|v| {
            v.map(|v| plain(v, Param::ErrorDescription, syntax::is_nqschar))
                .transpose()
        });
        let error_uri = member(m.error_uri, Param::ErrorUri).and_then(|v| {
            v.map(|v| plain(v, Param::ErrorUri, syntax::is_nqchar))
                .transpose()
        });
        return Ok(TokenEndpointResponse::Denied(TokenErrorResponse {
            error: TokenErrorCode::from_str(error),
            error_description_invalid: description.is_err(),
            error_description: description.unwrap_or(None),
            error_uri: error_uri.unwrap_or(None),
        }));
    }
    if status != 200 {
        return Err(ResponseError::UnexpectedStatus.into());
    }
    let access_token = member(m.access_token, Param::AccessToken)?
        .ok_or(ResponseError::MissingParameter(Param::AccessToken))?;
    let token_type = member(m.token_type, Param::TokenType)?
        .ok_or(ResponseError::MissingParameter(Param::TokenType))?;
    if !plain(token_type, Param::TokenType, syntax::is_nqchar)?.eq_ignore_ascii_case("bearer") {
        return Err(ResponseError::UnsupportedTokenType.into());
    }
    let scope = member(m.scope, Param::Scope)?
        .map(|v| {
            v.plain_str()
                .flatten()
                .filter(|s| syntax::is_granted_scope(s.bytes()))
                .ok_or(ResponseError::InvalidParameter(Param::Scope))
        })
        .transpose()?;
    Ok(TokenEndpointResponse::Issued(IssuedTokens {
        access_token: AccessToken::new(plain(access_token, Param::AccessToken, syntax::is_vschar)?),
        token_type: TokenType::Bearer,
        expires_in: member(m.expires_in, Param::ExpiresIn)?
            .map(seconds)
            .transpose()?,
        refresh_token: member(m.refresh_token, Param::RefreshToken)?
            .map(|v| plain(v, Param::RefreshToken, syntax::is_vschar).map(RefreshToken::new))
            .transpose()?,
        scope,
        id_token: member(m.id_token, Param::IdToken)?
            .map(|v| plain(v, Param::IdToken, syntax::is_jws_char).map(IdToken::new))
            .transpose()?,
    }))
}

/// A string member of `1*` `class` without escapes. In the canonical text only `"`, `\`
/// and controls are escaped: for every class but VSCHAR (unescaped before this) an escape
/// means a character outside it.
fn plain(value: Value<'_>, param: Param, class: fn(u8) -> bool) -> Result<&str, ResponseError> {
    value
        .plain_str()
        .flatten()
        .filter(|s| syntax::all_of(s.bytes(), class))
        .ok_or(ResponseError::InvalidParameter(param))
}

/// Unescapes the canonical contents of a string in place, into the front of `contents`,
/// and returns the new length. Only `\"` and `\\` can stand for a VSCHAR: any other escape
/// (`\n`, `\u0000`: a control) refuses the value.
fn unescape_in_place(contents: Option<&mut [u8]>, param: Param) -> Result<usize, ResponseError> {
    let invalid = ResponseError::InvalidParameter(param);
    let contents = contents.ok_or(invalid)?;
    let (mut read, mut write) = (0usize, 0usize);
    while let Some(&b) = contents.get(read) {
        let b = if b == b'\\' {
            read = read.saturating_add(1);
            contents
                .get(read)
                .copied()
                .filter(|&e| e == b'"' || e == b'\\')
                .ok_or(invalid)?
        } else {
            b
        };
        *contents.get_mut(write).ok_or(invalid)? = b;
        (read, write) = (read.saturating_add(1), write.saturating_add(1));
    }
    Ok(write)
}

/// `expires_in`: a non-negative JSON integer of seconds (no fraction, exponent or sign).
fn seconds(value: Value<'_>) -> Result<Duration, ResponseError> {
    let invalid = ResponseError::InvalidParameter(Param::ExpiresIn);
    let Value::Num(digits) = value else {
        return Err(invalid);
    };
    read_decimal(digits.bytes())
        .map(Duration::from_secs)
        .ok_or(invalid)
}

//! The names of the authorization request's and response's parameters.

/// A parameter of the authorization request or response, named as on the wire.
///
/// Errors name the parameter at fault:
/// ```
/// use implicit_grant::*;
/// let built = Config::builder(
///     Issuer::new("https://server.example.com"),
///     AuthorizationEndpoint::new("https://server.example.com/authorize"),
///     ClientId::new("s6BhdRkqt3"),
///     RedirectUri::new("https://client.example.org/cb#fragment"),
/// )
/// .build();
/// assert_eq!(built.err(), Some(ConfigError::HasFragment(Param::RedirectUri)));
/// assert_eq!(Param::RedirectUri.as_str(), "redirect_uri");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Param {
    /// The authorization endpoint URL itself.
    Endpoint,
    /// `response_type`
    ResponseType,
    /// `client_id`
    ClientId,
    /// `redirect_uri`
    RedirectUri,
    /// `scope`
    Scope,
    /// `audience` (Auth0's API identifier)
    Audience,
    /// `state`
    State,
    /// `nonce`
    Nonce,
    /// `prompt`
    Prompt,
    /// `max_age`
    MaxAge,
    /// `login_hint`
    LoginHint,
    /// `ui_locales`
    UiLocales,
    /// `display`
    Display,
    /// `id_token_hint`
    IdTokenHint,
    /// `acr_values`
    AcrValues,
    /// `response_mode`
    ResponseMode,
    /// A caller-supplied extra parameter.
    Extra,
    /// `access_token`
    AccessToken,
    /// `id_token`
    IdToken,
    /// `token_type`
    TokenType,
    /// `expires_in`
    ExpiresIn,
    /// `error`
    Error,
    /// `error_description`
    ErrorDescription,
    /// `error_uri`
    ErrorUri,
    /// `iss` (RFC 9207)
    Iss,
    /// `code`
    Code,
    /// `request`, a request object passed by value (OIDC Core §6.1).
    Request,
    /// `request_uri`, a request object passed by reference (OIDC Core §6.2).
    RequestUri,
    /// The logout endpoint URL itself (`end_session_endpoint`, or Auth0's `/v2/logout`).
    LogoutEndpoint,
    /// `post_logout_redirect_uri` (OIDC RP-Initiated Logout 1.0 §2)
    PostLogoutRedirectUri,
    /// `logout_hint` (OIDC RP-Initiated Logout 1.0 §2)
    LogoutHint,
    /// `returnTo` (Auth0's `/v2/logout`)
    ReturnTo,
    /// The provider's issuer identifier as configured (not a parameter on the wire; the
    /// RFC 9207 response parameter is [`Param::Iss`]).
    Issuer,
    /// `code_verifier` (RFC 7636 §4.1)
    CodeVerifier,
    /// `code_challenge` (RFC 7636 §4.3)
    CodeChallenge,
    /// `code_challenge_method` (RFC 7636 §4.3)
    CodeChallengeMethod,
    /// `refresh_token` (RFC 6749 §6)
    RefreshToken,
    /// `client_secret` (RFC 6749 §2.3.1)
    ClientSecret,
    /// The token endpoint URL itself (RFC 6749 §3.2, `token_endpoint` in metadata).
    TokenEndpoint,
}

impl Param {
    /// The parameter's name on the wire.
    ///
    /// ```
    /// assert_eq!(implicit_grant::Param::AccessToken.as_str(), "access_token");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Endpoint => "authorization endpoint",
            Self::ResponseType => "response_type",
            Self::ClientId => "client_id",
            Self::RedirectUri => "redirect_uri",
            Self::Scope => "scope",
            Self::Audience => "audience",
            Self::State => "state",
            Self::Nonce => "nonce",
            Self::Prompt => "prompt",
            Self::MaxAge => "max_age",
            Self::LoginHint => "login_hint",
            Self::UiLocales => "ui_locales",
            Self::Display => "display",
            Self::IdTokenHint => "id_token_hint",
            Self::AcrValues => "acr_values",
            Self::ResponseMode => "response_mode",
            Self::Extra => "extra parameter",
            Self::AccessToken => "access_token",
            Self::IdToken => "id_token",
            Self::TokenType => "token_type",
            Self::ExpiresIn => "expires_in",
            Self::Error => "error",
            Self::ErrorDescription => "error_description",
            Self::ErrorUri => "error_uri",
            Self::Iss => "iss",
            Self::Code => "code",
            Self::Request => "request",
            Self::RequestUri => "request_uri",
            Self::LogoutEndpoint => "logout endpoint",
            Self::Issuer => "issuer",
            Self::PostLogoutRedirectUri => "post_logout_redirect_uri",
            Self::LogoutHint => "logout_hint",
            Self::ReturnTo => "returnTo",
            Self::CodeVerifier => "code_verifier",
            Self::CodeChallenge => "code_challenge",
            Self::CodeChallengeMethod => "code_challenge_method",
            Self::RefreshToken => "refresh_token",
            Self::ClientSecret => "client_secret",
            Self::TokenEndpoint => "token endpoint",
        }
    }
}

//! Errors: one small `Copy` enum per layer, rolled up into the crate [`Error`].
//!
//! Payloads name *which* parameter or claim failed, never its value: values can be secrets
//! (tokens, `state`, `nonce`), and errors get logged.

use core::fmt;

use crate::codec::base64url::Base64Error;
use crate::codec::json::JsonError;
use crate::codec::percent::PercentError;

/// A parameter of the authorization request or response, named as on the wire.
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
            Self::PostLogoutRedirectUri => "post_logout_redirect_uri",
            Self::LogoutHint => "logout_hint",
            Self::ReturnTo => "returnTo",
        }
    }
}

/// A claim of the ID token, named as on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Claim {
    /// `iss`
    Iss,
    /// `sub`
    Sub,
    /// `aud`
    Aud,
    /// `exp`
    Exp,
    /// `iat`
    Iat,
    /// `nbf`
    Nbf,
    /// `nonce`
    Nonce,
    /// `azp`
    Azp,
    /// `at_hash`
    AtHash,
    /// `auth_time`
    AuthTime,
    /// `acr`
    Acr,
}

impl Claim {
    /// The claim's name on the wire.
    ///
    /// ```
    /// assert_eq!(implicit_grant::Claim::AtHash.as_str(), "at_hash");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Iss => "iss",
            Self::Sub => "sub",
            Self::Aud => "aud",
            Self::Exp => "exp",
            Self::Iat => "iat",
            Self::Nbf => "nbf",
            Self::Nonce => "nonce",
            Self::Azp => "azp",
            Self::AtHash => "at_hash",
            Self::AuthTime => "auth_time",
            Self::Acr => "acr",
        }
    }
}

/// The caller's configuration or request parameters break a rule (RFC 6749 §3.1, §3.1.2,
/// OIDC Core §3.1.2.1, §3.2.2.1, RFC 9700 §2.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConfigError {
    /// A required parameter is absent or empty.
    MissingParameter(Param),
    /// A parameter holds characters or a form its grammar does not allow.
    InvalidParameter(Param),
    /// A parameter would appear twice (in the endpoint's query, or twice among the extras),
    /// or an extra parameter uses a name the crate manages.
    DuplicateParameter(Param),
    /// `request` or `request_uri` in the endpoint's query or among the extras: a request
    /// object's values supersede the request's parameters (OIDC Core §6.1, §6.2), so the
    /// `state`, `nonce` and `redirect_uri` this crate writes and checks would not hold.
    /// Also: a parameter the endpoint does not have (an OIDC logout parameter sent to
    /// Auth0's `/v2/logout`).
    ForbiddenParameter(Param),
    /// The URL is not absolute (no `scheme://`).
    NotAbsolute(Param),
    /// The URL carries a `#fragment` (RFC 6749 §3.1, §3.1.2).
    HasFragment(Param),
    /// The URL is not `https`, and not an allowed loopback `http` URL (RFC 9700 §2.6).
    Insecure(Param),
    /// `response_type` contains `id_token` but `scope` lacks `openid` (OIDC Core §3.1.2.1).
    MissingOpenidScope,
    /// `prompt=none` combined with another value (OIDC Core §3.1.2.1).
    PromptNoneCombined,
    /// `max_age=0` with `prompt=none` can only end in `login_required`.
    MaxAgeZeroWithPromptNone,
    /// A caller-supplied `state` or `nonce` has fewer than 22 characters (128 bits in base64url).
    Weak(Param),
    /// The clock leeway exceeds 300 seconds.
    LeewayTooLarge,
    /// A shared key is shorter than the hash it keys (RFC 7518 §3.2).
    WeakKey,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingParameter(p) => write!(f, "parameter {} is missing", p.as_str()),
            Self::InvalidParameter(p) => write!(f, "parameter {} is malformed", p.as_str()),
            Self::DuplicateParameter(p) => {
                write!(f, "parameter {} would appear more than once", p.as_str())
            }
            Self::ForbiddenParameter(p) => write!(f, "parameter {} is not allowed", p.as_str()),
            Self::NotAbsolute(p) => write!(f, "{} is not an absolute URL", p.as_str()),
            Self::HasFragment(p) => write!(f, "{} must not contain a fragment", p.as_str()),
            Self::Insecure(p) => write!(f, "{} must use https", p.as_str()),
            Self::MissingOpenidScope => f.write_str("scope must contain openid"),
            Self::PromptNoneCombined => f.write_str("prompt none cannot be combined"),
            Self::MaxAgeZeroWithPromptNone => f.write_str("max_age 0 with prompt none"),
            Self::Weak(p) => write!(f, "{} has fewer than 128 bits", p.as_str()),
            Self::LeewayTooLarge => f.write_str("leeway exceeds 300 seconds"),
            Self::WeakKey => f.write_str("key is shorter than the hash output"),
        }
    }
}

/// The redirect response is malformed (RFC 6749 §3.1, §4.2.2, App. B; OIDC Core §3.2.2.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ResponseError {
    /// The input holds no parameters at all.
    NoResponseParameters,
    /// A raw character that a URI fragment or form body cannot hold (RFC 3986 §3.5).
    InvalidCharacter,
    /// A `%` not followed by two hex digits.
    MalformedPercentEncoding,
    /// Decoded octets that are not UTF-8.
    InvalidUtf8,
    /// The input, or one value, exceeds the crate's limits.
    TooLarge,
    /// More non-empty parameters than the crate's limit.
    TooManyParameters,
    /// A parameter appears more than once (RFC 6749 §3.1), compared after decoding.
    DuplicateParameter(Param),
    /// A parameter required here is absent or empty.
    MissingParameter(Param),
    /// A parameter's decoded value breaks its grammar.
    InvalidParameter(Param),
    /// A parameter that must not appear in this response (e.g. `code` in an implicit response).
    UnexpectedParameter(Param),
    /// `token_type` is not `Bearer` (RFC 6749 §7.1: a client must not use a type it does not know).
    UnsupportedTokenType,
    /// `error` together with `access_token` or `id_token`.
    AmbiguousResponse,
    /// Response parameters arrived in the URL query (Multiple Response Types §5).
    ResponseInQuery,
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoResponseParameters => f.write_str("response holds no parameters"),
            Self::InvalidCharacter => f.write_str("response holds an invalid character"),
            Self::MalformedPercentEncoding => f.write_str("malformed percent-encoding"),
            Self::InvalidUtf8 => f.write_str("decoded value is not UTF-8"),
            Self::TooLarge => f.write_str("response exceeds the size limit"),
            Self::TooManyParameters => f.write_str("response has too many parameters"),
            Self::DuplicateParameter(p) => {
                write!(f, "parameter {} appears more than once", p.as_str())
            }
            Self::MissingParameter(p) => write!(f, "parameter {} is missing", p.as_str()),
            Self::InvalidParameter(p) => write!(f, "parameter {} is malformed", p.as_str()),
            Self::UnexpectedParameter(p) => write!(f, "parameter {} is unexpected", p.as_str()),
            Self::UnsupportedTokenType => f.write_str("token_type is not Bearer"),
            Self::AmbiguousResponse => f.write_str("error response also carries tokens"),
            Self::ResponseInQuery => f.write_str("response parameters are in the URL query"),
        }
    }
}

/// The JWT is malformed, its algorithm is refused, or its signature does not verify
/// (RFC 7515, RFC 7519 §7.2, RFC 8725).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JwtError {
    /// Not three non-empty base64url parts separated by dots.
    Malformed,
    /// Five parts: an encrypted JWT (JWE), which this crate does not decrypt.
    EncryptedUnsupported,
    /// A segment is not strict, unpadded, canonical base64url (RFC 7515 §2).
    InvalidBase64Url,
    /// The JOSE header is not a JSON object, or a member has the wrong type.
    InvalidHeader,
    /// Not strict RFC 8259 JSON (also: invalid escapes, lone surrogates, raw control characters).
    InvalidJson,
    /// JSON nesting deeper than the limit.
    DepthLimit,
    /// More members in one object than the limit.
    TooManyMembers,
    /// A member name appears twice in the header or claims (RFC 7515 §4, RFC 7519 §4).
    DuplicateMember,
    /// The payload is valid JSON but not an object.
    ClaimsNotObject,
    /// The header has no `alg`.
    MissingAlg,
    /// `alg` is `none` (never accepted, RFC 8725 §3.2).
    AlgNone,
    /// `alg` is not one this crate knows.
    UnsupportedAlgorithm,
    /// `alg` is not in the caller's allow-list (RFC 8725 §3.1).
    AlgNotAllowed,
    /// The header has `crit` (RFC 7515 §4.1.11).
    UnsupportedCritical,
    /// `typ` names another kind of JWT (e.g. `at+jwt`, RFC 8725 §3.11).
    UnexpectedTyp,
    /// No key, or no single key, may verify the token: see [`SelectionError`].
    KeySelection(SelectionError),
    /// The signature does not verify.
    BadSignature,
    /// The token or a segment exceeds the crate's size limit.
    TooLarge,
    /// A JSON value does not fit the type asked for by [`crate::jwt::Json::deserialize`].
    Deserialize,
}

impl fmt::Display for JwtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::KeySelection(e) => return write!(f, "key selection: {e}"),
            Self::Malformed => "token is not a compact JWS",
            Self::EncryptedUnsupported => "encrypted tokens are not supported",
            Self::InvalidBase64Url => "token segment is not base64url",
            Self::InvalidHeader => "JOSE header is invalid",
            Self::InvalidJson => "token holds invalid JSON",
            Self::DepthLimit => "JSON nesting exceeds the limit",
            Self::TooManyMembers => "JSON object has too many members",
            Self::DuplicateMember => "JSON member appears more than once",
            Self::ClaimsNotObject => "claims are not a JSON object",
            Self::MissingAlg => "header has no alg",
            Self::AlgNone => "alg none is never accepted",
            Self::UnsupportedAlgorithm => "alg is not supported",
            Self::AlgNotAllowed => "alg is not allowed",
            Self::UnsupportedCritical => "header has crit",
            Self::UnexpectedTyp => "typ is not an ID token type",
            Self::BadSignature => "signature does not verify",
            Self::TooLarge => "token exceeds the size limit",
            Self::Deserialize => "claims do not match the requested type",
        })
    }
}

/// No key, or no single key, of the verifier may check the token's signature (RFC 7515
/// §4.1.4, RFC 7517 §4, OIDC Core §10.1, RFC 8725 §3.1).
///
/// Only [`SelectionError::UnknownKey`](crate::SelectionError::UnknownKey) suggests fetching the provider's keys again; the
/// others say the keys are there but unfit, which a refetch does not change.
///
/// ```
/// use implicit_grant::{Error, JwtError, SelectionError};
/// let e = Error::from(SelectionError::UnknownKey);
/// assert_eq!(e, Error::Jwt(JwtError::KeySelection(SelectionError::UnknownKey)));
/// assert_eq!(e.to_string(), "jwt: key selection: no key matches the token");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SelectionError {
    /// No key has the token's `kid` (or the verifier holds no key at all): the host may
    /// fetch the provider's keys again and retry once (key rotation). A token without
    /// `kid` that no key fits gets the reason instead ([`SelectionError::KeyTypeMismatch`](crate::SelectionError::KeyTypeMismatch)…).
    UnknownKey,
    /// The token has no `kid` and several keys fit its `alg` (OIDC Core §10.1), or two keys
    /// share its `kid`.
    AmbiguousKey,
    /// The key (named by `kid`, or the only candidate) is of another type than `alg` needs,
    /// e.g. an RSA key for an `HS256` or `ES256` token (RFC 8725 §3.1).
    KeyTypeMismatch,
    /// The key is bound to another algorithm by its `alg` (RFC 7517 §4.4).
    KeyAlgMismatch,
    /// The key is not for signatures: `use` other than `sig`, or `key_ops` without `verify`
    /// (RFC 7517 §4.2, §4.3).
    KeyUseMismatch,
    /// The key could not be loaded: [`crate::verify::Jwk::error`] says why.
    UnusableKey,
}

impl fmt::Display for SelectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::UnknownKey => "no key matches the token",
            Self::AmbiguousKey => "several keys match the token",
            Self::KeyTypeMismatch => "key type does not fit alg",
            Self::KeyAlgMismatch => "key is bound to another alg",
            Self::KeyUseMismatch => "key is not for signatures",
            Self::UnusableKey => "key could not be loaded",
        })
    }
}

impl From<SelectionError> for JwtError {
    fn from(e: SelectionError) -> Self {
        Self::KeySelection(e)
    }
}

impl From<SelectionError> for Error {
    fn from(e: SelectionError) -> Self {
        Self::Jwt(JwtError::KeySelection(e))
    }
}

/// A member of a JSON Web Key (RFC 7517 §4, RFC 7518 §6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JwkMember {
    /// `keys`, the array of a JWK Set (RFC 7517 §5.1).
    Keys,
    /// `kty`
    Kty,
    /// `use`
    Use,
    /// `alg`
    Alg,
    /// `kid`
    Kid,
    /// `crv`
    Crv,
    /// `n`, the RSA modulus.
    N,
    /// `e`, the RSA public exponent.
    E,
    /// `x`, the EC x coordinate.
    X,
    /// `y`, the EC y coordinate.
    Y,
    /// `key_ops`
    KeyOps,
    /// `k`, the key value of a symmetric (`oct`) key (RFC 7518 §6.4.1).
    K,
}

impl JwkMember {
    /// The member's name.
    ///
    /// ```
    /// assert_eq!(implicit_grant::JwkMember::Kty.as_str(), "kty");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Keys => "keys",
            Self::Kty => "kty",
            Self::Use => "use",
            Self::Alg => "alg",
            Self::Kid => "kid",
            Self::Crv => "crv",
            Self::N => "n",
            Self::E => "e",
            Self::X => "x",
            Self::Y => "y",
            Self::KeyOps => "key_ops",
            Self::K => "k",
        }
    }
}

/// A JSON Web Key or JWK Set cannot be used (RFC 7517, RFC 7518 §6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyError {
    /// Not strict RFC 8259 JSON, or not a JSON object.
    InvalidJson,
    /// A member appears twice in one object (RFC 7517 §4, §5).
    DuplicateMember(JwkMember),
    /// A required member is absent.
    MissingMember(JwkMember),
    /// A member has the wrong JSON type, is not strict base64url, or breaks its encoding
    /// rules (an integer with a leading zero octet, a coordinate of the wrong length).
    InvalidMember(JwkMember),
    /// More keys than the set's capacity.
    TooManyKeys,
    /// `kty` or `crv` names a key type this build does not verify with (`Jwk::parse` only:
    /// a JWK Set ignores such keys). An unknown `alg` is not an error: a lone `Jwk` is
    /// kept and refuses every token
    /// ([`SelectionError::KeyAlgMismatch`](crate::SelectionError::KeyAlgMismatch)), and a JWK
    /// Set ignores the key.
    Unsupported,
    /// An RSA modulus shorter than 2048 bits (RFC 7518 §3.3) or with the ROCA fingerprint
    /// (CVE-2017-15361: its factors can be recovered from it), or a symmetric key shorter
    /// than its HMAC's hash output (RFC 7518 §3.2).
    WeakKey,
    /// An RSA modulus longer than 4096 bits, or an even one.
    InvalidModulus,
    /// An RSA public exponent that is not odd, or is below 3 or above 2³² − 1.
    InvalidExponent,
    /// EC coordinates that are not a point of the curve.
    InvalidPoint,
    /// The key is not for signatures: `use` other than `sig`, or `key_ops` without
    /// `verify` (RFC 7517 §4.2, §4.3). Only where one key is loaded on its own (a symmetric
    /// key); a JWK Set ignores such keys.
    NotForSignatures,
    /// The caller's buffer cannot hold the decoded key; `required` is the size needed.
    BufferTooSmall {
        /// Bytes the decoded key needs.
        required: usize,
    },
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidJson => f.write_str("key set is not a JSON object"),
            Self::DuplicateMember(m) => write!(f, "key member {} appears twice", m.as_str()),
            Self::MissingMember(m) => write!(f, "key member {} is missing", m.as_str()),
            Self::InvalidMember(m) => write!(f, "key member {} is invalid", m.as_str()),
            Self::TooManyKeys => f.write_str("key set exceeds its capacity"),
            Self::Unsupported => f.write_str("key type, curve or alg is not supported"),
            Self::WeakKey => f.write_str("key is too weak for its algorithm"),
            Self::InvalidModulus => f.write_str("RSA modulus is even or longer than 4096 bits"),
            Self::InvalidExponent => f.write_str("RSA exponent is not a small odd number"),
            Self::InvalidPoint => f.write_str("EC point is not on the curve"),
            Self::NotForSignatures => f.write_str("key is not for signatures"),
            Self::BufferTooSmall { required } => {
                write!(f, "key buffer too small: {required} bytes required")
            }
        }
    }
}

/// An ID token claim is missing, malformed or fails validation (OIDC Core §3.1.3.7, §3.2.2.11).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ClaimsError {
    /// A required claim is absent, `null`, or (for strings) empty.
    MissingClaim(Claim),
    /// A claim has the wrong JSON type.
    InvalidClaimType(Claim),
    /// A claim has the right type but a value outside its rules.
    InvalidClaimValue(Claim),
    /// `iss` differs from the expected issuer (exact, code-point comparison).
    IssuerMismatch,
    /// `aud` does not contain the client id.
    AudienceMismatch,
    /// `aud` holds an audience the caller has not listed as trusted.
    UntrustedAudience,
    /// `aud` holds more entries than the limit.
    TooManyAudiences,
    /// `azp` is present and differs from the client id.
    AzpMismatch,
    /// The current time is at or past `exp` (plus leeway).
    Expired,
    /// The current time is before `nbf` (minus leeway).
    NotYetValid,
    /// `iat` lies in the future (beyond leeway).
    IssuedInFuture,
    /// `nonce` differs from the one sent.
    NonceMismatch,
    /// `auth_time` is older than `max_age` allows: the user must log in again.
    AuthTooOld,
    /// `auth_time` lies in the future (beyond leeway).
    AuthTimeInFuture,
    /// `at_hash` does not match the access token.
    AtHashMismatch,
}

impl fmt::Display for ClaimsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingClaim(c) => write!(f, "claim {} is missing", c.as_str()),
            Self::InvalidClaimType(c) => write!(f, "claim {} has the wrong type", c.as_str()),
            Self::InvalidClaimValue(c) => write!(f, "claim {} is invalid", c.as_str()),
            Self::IssuerMismatch => f.write_str("issuer does not match"),
            Self::AudienceMismatch => f.write_str("audience does not contain the client id"),
            Self::UntrustedAudience => f.write_str("audience holds an untrusted entry"),
            Self::TooManyAudiences => f.write_str("audience has too many entries"),
            Self::AzpMismatch => f.write_str("azp is not the client id"),
            Self::Expired => f.write_str("token has expired"),
            Self::NotYetValid => f.write_str("token is not yet valid"),
            Self::IssuedInFuture => f.write_str("token was issued in the future"),
            Self::NonceMismatch => f.write_str("nonce does not match"),
            Self::AuthTooOld => f.write_str("authentication is older than max_age"),
            Self::AuthTimeInFuture => f.write_str("auth_time lies in the future"),
            Self::AtHashMismatch => f.write_str("at_hash does not match the access token"),
        }
    }
}

/// A member of provider metadata (OIDC Discovery 1.0 §3, RFC 8414 §2, RFC 9207 §3,
/// OIDC RP-Initiated Logout 1.0 §2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MetadataMember {
    /// `issuer`
    Issuer,
    /// `authorization_endpoint`
    AuthorizationEndpoint,
    /// `jwks_uri`
    JwksUri,
    /// `end_session_endpoint`
    EndSessionEndpoint,
    /// `response_types_supported`
    ResponseTypesSupported,
    /// `response_modes_supported`
    ResponseModesSupported,
    /// `id_token_signing_alg_values_supported`
    IdTokenSigningAlgValuesSupported,
    /// `authorization_response_iss_parameter_supported`
    AuthorizationResponseIssParameterSupported,
}

impl MetadataMember {
    /// The member's name.
    ///
    /// ```
    /// assert_eq!(implicit_grant::MetadataMember::JwksUri.as_str(), "jwks_uri");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Issuer => "issuer",
            Self::AuthorizationEndpoint => "authorization_endpoint",
            Self::JwksUri => "jwks_uri",
            Self::EndSessionEndpoint => "end_session_endpoint",
            Self::ResponseTypesSupported => "response_types_supported",
            Self::ResponseModesSupported => "response_modes_supported",
            Self::IdTokenSigningAlgValuesSupported => "id_token_signing_alg_values_supported",
            Self::AuthorizationResponseIssParameterSupported => {
                "authorization_response_iss_parameter_supported"
            }
        }
    }
}

/// Provider metadata cannot be used (OIDC Discovery 1.0 §3, §4.3; RFC 8414 §2, §3.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MetadataError {
    /// Not strict RFC 8259 JSON, not an object, nested deeper than
    /// [`MAX_JSON_DEPTH`](crate::limits::MAX_JSON_DEPTH) or with more members than
    /// [`MAX_METADATA_MEMBERS`](crate::limits::MAX_METADATA_MEMBERS).
    InvalidJson,
    /// A member name appears twice at the top level.
    DuplicateMember,
    /// A required member is absent.
    MissingMember(MetadataMember),
    /// A member has the wrong JSON type, or a URL member is not an absolute `https` URL
    /// without fragment (the issuer: nor with a query).
    InvalidMember(MetadataMember),
    /// `issuer` is not exactly the issuer the caller expected (OIDC Discovery 1.0 §4.3,
    /// RFC 8414 §3.3): the document may be an attacker's, or another tenant's.
    IssuerMismatch,
    /// The provider does not list `response_type` `id_token token` (for
    /// [`Config::from_metadata`](crate::Config::from_metadata)).
    ResponseTypeUnsupported,
    /// The provider's `response_modes_supported` lacks `fragment`.
    ResponseModeUnsupported,
    /// None of the provider's ID token algorithms is one this build verifies with a
    /// [`Jwks`](crate::verify::Jwks) (`none` and the HMAC algorithms never count).
    NoCommonAlgorithm,
}

impl fmt::Display for MetadataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidJson => f.write_str("metadata is not a JSON object within limits"),
            Self::DuplicateMember => f.write_str("a metadata member appears twice"),
            Self::MissingMember(m) => write!(f, "metadata member {} is missing", m.as_str()),
            Self::InvalidMember(m) => write!(f, "metadata member {} is invalid", m.as_str()),
            Self::IssuerMismatch => f.write_str("metadata issuer is not the expected issuer"),
            Self::ResponseTypeUnsupported => {
                f.write_str("provider does not support response type id_token token")
            }
            Self::ResponseModeUnsupported => {
                f.write_str("provider does not support response mode fragment")
            }
            Self::NoCommonAlgorithm => {
                f.write_str("no ID token algorithm of the provider is verifiable here")
            }
        }
    }
}

/// The begin/complete flow failed (RFC 6749 §10.12, RFC 9700 §4.2.4, §4.7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FlowError {
    /// No pending transaction: a replay, a second `complete`, or lost storage.
    NoTransaction,
    /// The pending transaction is older than the configured limit.
    TransactionExpired,
    /// The response has no `state`.
    StateMissing,
    /// The response's `state` differs from the stored one.
    StateMismatch,
    /// The RFC 9207 `iss` response parameter differs from the configured issuer.
    IssuerMismatch,
    /// The callback URL does not start with the configured `redirect_uri`.
    RedirectUriMismatch,
    /// The stored transaction was made under another configuration: another issuer, client,
    /// endpoint or redirect URI (RFC 9700 §4.4.2, mix-up), response type or response mode.
    TransactionMismatch,
    /// A stored transaction record is malformed.
    CorruptTransaction,
    /// The caller's [`crate::Random`] failed.
    Random,
    /// The caller's [`crate::TransactionStore`] failed.
    Storage,
}

impl fmt::Display for FlowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NoTransaction => "no pending transaction (replay or lost storage)",
            Self::TransactionExpired => "pending transaction has expired",
            Self::StateMissing => "response has no state",
            Self::StateMismatch => "state does not match",
            Self::IssuerMismatch => "response iss does not match the issuer",
            Self::RedirectUriMismatch => "callback URL does not match redirect_uri",
            Self::TransactionMismatch => "transaction was made under another configuration",
            Self::CorruptTransaction => "stored transaction is malformed",
            Self::Random => "random source failed",
            Self::Storage => "transaction storage failed",
        })
    }
}

/// Every error of the crate.
///
/// `Display` includes the inner error; `source()` is not overridden, so reporters print the
/// message once.
///
/// ```
/// use implicit_grant::{Error, FlowError};
/// let e = Error::from(FlowError::StateMismatch);
/// assert_eq!(e.to_string(), "flow: state does not match");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Error {
    /// The output buffer is too small; `required` is the exact size needed.
    BufferTooSmall {
        /// Bytes the output needs.
        required: usize,
    },
    /// A `core::fmt::Write` sink refused a write.
    Write,
    /// See [`ConfigError`].
    Config(ConfigError),
    /// See [`ResponseError`].
    Response(ResponseError),
    /// See [`JwtError`].
    Jwt(JwtError),
    /// See [`ClaimsError`].
    Claims(ClaimsError),
    /// See [`FlowError`].
    Flow(FlowError),
    /// See [`KeyError`].
    Key(KeyError),
    /// See [`MetadataError`].
    Metadata(MetadataError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BufferTooSmall { required } => {
                write!(f, "buffer too small: {required} bytes required")
            }
            Self::Write => f.write_str("output sink refused a write"),
            Self::Config(e) => write!(f, "config: {e}"),
            Self::Response(e) => write!(f, "response: {e}"),
            Self::Jwt(e) => write!(f, "jwt: {e}"),
            Self::Claims(e) => write!(f, "claims: {e}"),
            Self::Flow(e) => write!(f, "flow: {e}"),
            Self::Key(e) => write!(f, "key: {e}"),
            Self::Metadata(e) => write!(f, "metadata: {e}"),
        }
    }
}

impl core::error::Error for ConfigError {}
impl core::error::Error for ResponseError {}
impl core::error::Error for JwtError {}
impl core::error::Error for ClaimsError {}
impl core::error::Error for FlowError {}
impl core::error::Error for KeyError {}
impl core::error::Error for MetadataError {}
impl core::error::Error for SelectionError {}
impl core::error::Error for Error {}

macro_rules! roll_up {
    ($($layer:ident => $variant:ident),* $(,)?) => {$(
        impl From<$layer> for Error {
            fn from(e: $layer) -> Self {
                Self::$variant(e)
            }
        }
    )*};
}
roll_up!(ConfigError => Config, ResponseError => Response, JwtError => Jwt, ClaimsError => Claims, FlowError => Flow, KeyError => Key, MetadataError => Metadata);

// Codec errors (layer 0) become the public errors they have always been reported as.

impl From<PercentError> for Error {
    fn from(e: PercentError) -> Self {
        match e {
            PercentError::InvalidCharacter => Self::Response(ResponseError::InvalidCharacter),
            PercentError::Malformed => Self::Response(ResponseError::MalformedPercentEncoding),
            PercentError::InvalidUtf8 => Self::Response(ResponseError::InvalidUtf8),
            PercentError::BufferTooSmall { required } => Self::BufferTooSmall { required },
        }
    }
}

impl From<Base64Error> for Error {
    fn from(e: Base64Error) -> Self {
        match e {
            Base64Error::Invalid => Self::Jwt(JwtError::InvalidBase64Url),
            Base64Error::BufferTooSmall { required } => Self::BufferTooSmall { required },
        }
    }
}

impl From<JsonError> for JwtError {
    fn from(e: JsonError) -> Self {
        match e {
            JsonError::Invalid => Self::InvalidJson,
            JsonError::NotObject => Self::ClaimsNotObject,
            JsonError::DepthLimit => Self::DepthLimit,
            JsonError::TooManyMembers => Self::TooManyMembers,
            JsonError::DuplicateMember => Self::DuplicateMember,
            JsonError::OutputTooShort => Self::TooLarge,
            JsonError::Deserialize => Self::Deserialize,
        }
    }
}

impl From<JsonError> for Error {
    fn from(e: JsonError) -> Self {
        Self::Jwt(e.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn codec_errors_become_the_public_errors() {
        assert_eq!(
            Error::from(PercentError::Malformed),
            Error::Response(ResponseError::MalformedPercentEncoding)
        );
        assert_eq!(
            Error::from(PercentError::BufferTooSmall { required: 7 }),
            Error::BufferTooSmall { required: 7 }
        );
        assert_eq!(
            Error::from(Base64Error::Invalid),
            Error::Jwt(JwtError::InvalidBase64Url)
        );
        assert_eq!(
            Error::from(Base64Error::BufferTooSmall { required: 3 }),
            Error::BufferTooSmall { required: 3 }
        );
        assert_eq!(
            Error::from(JsonError::NotObject),
            Error::Jwt(JwtError::ClaimsNotObject)
        );
        assert_eq!(
            JwtError::from(JsonError::OutputTooShort),
            JwtError::TooLarge
        );
    }

    #[test]
    fn selection_errors_display_lowercase_without_punctuation_and_roll_up() {
        let all = [
            SelectionError::UnknownKey,
            SelectionError::AmbiguousKey,
            SelectionError::KeyTypeMismatch,
            SelectionError::KeyAlgMismatch,
            SelectionError::KeyUseMismatch,
            SelectionError::UnusableKey,
        ];
        for e in all {
            let text = e.to_string();
            assert!(text.starts_with(|c: char| c.is_ascii_lowercase()), "{text}");
            assert!(!text.ends_with(['.', '!', '?']), "{text}");
            assert_eq!(JwtError::from(e), JwtError::KeySelection(e));
            assert_eq!(Error::from(e), Error::Jwt(JwtError::KeySelection(e)));
            assert_eq!(
                Error::from(e).to_string(),
                std::format!("jwt: key selection: {text}")
            );
        }
    }
}

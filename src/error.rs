//! Errors: one small `Copy` enum per layer, rolled up into the crate [`Error`].
//!
//! Payloads name *which* parameter or claim failed, never its value: values can be secrets
//! (tokens, `state`, `nonce`), and errors get logged.

use core::fmt;

use crate::codec::base64url::Base64Error;
use crate::codec::json::JsonError;
use crate::codec::percent::PercentError;
use crate::codec::sink::SinkError;
use crate::jwt::claims::Claim;
use crate::limits::{
    JWKS_CAPACITY, MAX_AUDIENCES, MAX_JSON_DEPTH, MAX_JSON_MEMBERS, MAX_LEEWAY,
    MAX_METADATA_MEMBERS, MAX_OWNED_LIST, MAX_PARAMS, MAX_RESPONSE_LEN, MAX_TOKEN_LEN,
    MAX_TRANSACTION_LIFETIME, MAX_VALUE_LEN,
};
use crate::oauth::metadata::MetadataMember;
use crate::oauth::param::Param;
use crate::verify::JwkMember;

/// The caller's configuration or request parameters break a rule (RFC 6749 §3.1, §3.1.2,
/// OIDC Core §3.1.2.1, §3.2.2.1, RFC 9700 §2.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConfigError {
    /// A required value is absent or empty.
    Missing(Param),
    /// A value holds characters or a form its grammar does not allow.
    Invalid(Param),
    /// A parameter would appear twice: in the endpoint's query and in the request, or twice
    /// among the extras.
    Repeated(Param),
    /// An extra parameter uses a name the crate writes itself: set it with its own setter
    /// instead (`login_hint`, `ui_locales`, `display`, `acr_values`, …).
    Reserved(Param),
    /// `request` or `request_uri` in the endpoint's query or among the extras: a request
    /// object's values supersede the request's parameters (OIDC Core §6.1, §6.2), so the
    /// `state`, `nonce` and `redirect_uri` this crate writes and checks would not hold.
    /// Also: a parameter the endpoint does not have (an OIDC logout parameter sent to
    /// Auth0's `/v2/logout`).
    Forbidden(Param),
    /// The URL is not absolute (no `scheme://`).
    NotAbsolute(Param),
    /// The URL carries a `#fragment` (RFC 6749 §3.1, §3.1.2).
    HasFragment(Param),
    /// The URL is not `https`, and not a loopback `http` URL allowed by the
    /// `allow_loopback_http` setting (RFC 9700 §2.6).
    Insecure(Param),
    /// `response_type` contains `id_token` but `scope` lacks `openid` (OIDC Core §3.1.2.1).
    MissingOpenidScope,
    /// `prompt=none` combined with another value (OIDC Core §3.1.2.1).
    PromptNoneCombined,
    /// `max_age=0` with `prompt=none` can only end in `login_required`.
    MaxAgeZeroWithPromptNone,
    /// A caller-supplied `state` or `nonce` has fewer than 22 characters (128 bits in base64url).
    Weak(Param),
    /// The clock leeway exceeds [`MAX_LEEWAY`](crate::limits::MAX_LEEWAY).
    LeewayTooLarge,
    /// The transaction lifetime is zero, or longer than
    /// [`MAX_TRANSACTION_LIFETIME`](crate::limits::MAX_TRANSACTION_LIFETIME).
    InvalidLifetime,
    /// The list of accepted ID token algorithms is empty.
    NoAlgorithms,
    /// The configuration's strings take `required` bytes, more than the `capacity` (its
    /// `N`) of the [`OwnedConfig`](crate::OwnedConfig).
    TextTooLongToOwn {
        /// Bytes of text the configuration holds.
        required: usize,
        /// Bytes of text the owned form holds.
        capacity: usize,
    },
    /// The named list of the configuration (`scope`, `ui_locales`, `acr_values`, `extra`,
    /// `prompt`, `algorithms`, `trusted_audiences`) has more than
    /// [`MAX_OWNED_LIST`](crate::limits::MAX_OWNED_LIST) items.
    ListTooLongToOwn(&'static str),
    /// The `id_token_hint` ([`IdTokenHint`](crate::IdTokenHint)) was issued by another
    /// issuer than the configuration's (OIDC Core §3.1.2.1: one it issued).
    ForeignHint,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing(p) => write!(f, "{} is missing", p.as_str()),
            Self::Invalid(p) => write!(f, "{} is malformed", p.as_str()),
            Self::Repeated(p) => write!(f, "parameter {} would appear more than once", p.as_str()),
            Self::Reserved(p) => write!(
                f,
                "parameter {} is written by the crate: use its setter, not extra",
                p.as_str()
            ),
            Self::Forbidden(p) => write!(f, "parameter {} is not allowed", p.as_str()),
            Self::NotAbsolute(p) => write!(f, "{} is not an absolute URL", p.as_str()),
            Self::HasFragment(p) => write!(f, "{} must not contain a fragment", p.as_str()),
            Self::Insecure(p) => write!(
                f,
                "{} must use https (http only on a loopback host, with allow_loopback_http)",
                p.as_str()
            ),
            Self::MissingOpenidScope => f.write_str("scope must contain openid"),
            Self::PromptNoneCombined => f.write_str("prompt none cannot be combined"),
            Self::MaxAgeZeroWithPromptNone => f.write_str("max_age 0 with prompt none"),
            Self::Weak(p) => write!(f, "{} has fewer than 128 bits", p.as_str()),
            Self::LeewayTooLarge => write!(f, "leeway exceeds {} seconds", MAX_LEEWAY.as_secs()),
            Self::InvalidLifetime => write!(
                f,
                "transaction lifetime must be between 1 and {} seconds",
                MAX_TRANSACTION_LIFETIME.as_secs()
            ),
            Self::NoAlgorithms => f.write_str("no ID token algorithm is accepted"),
            Self::TextTooLongToOwn { required, capacity } => write!(
                f,
                "the configuration's strings take {required} bytes, more than the {capacity} of the owned config"
            ),
            Self::ListTooLongToOwn(list) => write!(
                f,
                "{list} has more than the {MAX_OWNED_LIST} items an owned config holds"
            ),
            Self::ForeignHint => f.write_str("id_token_hint was issued by another issuer"),
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
    /// `error` together with `access_token` or `id_token` (or, answering a `code` request, `code`).
    AmbiguousResponse,
    /// Response parameters arrived in the URL query (Multiple Response Types §5).
    ResponseInQuery,
    /// A token endpoint body that is not one strict RFC 8259 JSON object of at most
    /// [`MAX_JSON_MEMBERS`](crate::limits::MAX_JSON_MEMBERS) members (RFC 6749 §5.1).
    InvalidJson,
    /// A member name appears twice in a token endpoint body (compared after unescaping).
    DuplicateMember,
    /// A token endpoint status other than 200, 400 or 401, or one that does not match its
    /// body: tokens without `200 OK`, an error with it (RFC 6749 §5.1, §5.2).
    UnexpectedStatus,
    /// Response parameters arrived in the fragment of a callback URL whose response mode
    /// is the query (a `code` request's default).
    ResponseInFragment,
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoResponseParameters => f.write_str("response holds no parameters"),
            Self::InvalidCharacter => f.write_str("response holds an invalid character"),
            Self::MalformedPercentEncoding => f.write_str("malformed percent-encoding"),
            Self::InvalidUtf8 => f.write_str("decoded value is not UTF-8"),
            Self::TooLarge => write!(
                f,
                "response exceeds {MAX_RESPONSE_LEN} bytes, or a value {MAX_VALUE_LEN} bytes"
            ),
            Self::TooManyParameters => {
                write!(f, "response has more than {MAX_PARAMS} parameters")
            }
            Self::DuplicateParameter(p) => {
                write!(f, "parameter {} appears more than once", p.as_str())
            }
            Self::MissingParameter(p) => write!(f, "parameter {} is missing", p.as_str()),
            Self::InvalidParameter(p) => write!(f, "parameter {} is malformed", p.as_str()),
            Self::UnexpectedParameter(p) => write!(f, "parameter {} is unexpected", p.as_str()),
            Self::UnsupportedTokenType => f.write_str("token_type is not Bearer"),
            Self::AmbiguousResponse => f.write_str("error response also carries tokens"),
            Self::ResponseInQuery => f.write_str("response parameters are in the URL query"),
            Self::InvalidJson => write!(
                f,
                "body is not a JSON object of at most {MAX_JSON_MEMBERS} members"
            ),
            Self::DuplicateMember => f.write_str("a member of the body appears twice"),
            Self::UnexpectedStatus => f.write_str("HTTP status does not fit the body"),
            Self::ResponseInFragment => f.write_str("response parameters are in the URL fragment"),
        }
    }
}

/// The JWT is malformed, its algorithm is refused, or its signature does not verify
/// (RFC 7515, RFC 7519 §7.2, RFC 8725).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JwtError {
    /// Not three non-empty base64url parts separated by dots.
    NotCompact,
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
    /// The signature does not verify.
    BadSignature,
    /// The token exceeds [`MAX_TOKEN_LEN`](crate::limits::MAX_TOKEN_LEN), or a segment the
    /// size its base64url can decode to.
    TokenTooLarge,
    /// A JSON value does not fit the type asked for by [`crate::jwt::Json::deserialize`]
    /// (also: a borrowed `&str` field asked for a string that holds escapes; use
    /// `heapless::String` or a `serde_json_core::str::EscapedStr` for such claims).
    Deserialize,
}

impl fmt::Display for JwtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotCompact => "token is not a compact JWS",
            Self::EncryptedUnsupported => "encrypted tokens are not supported",
            Self::InvalidBase64Url => "token segment is not base64url",
            Self::InvalidHeader => "JOSE header is invalid",
            Self::InvalidJson => "token holds invalid JSON",
            Self::DepthLimit => return write!(f, "JSON nesting exceeds {MAX_JSON_DEPTH} levels"),
            Self::TooManyMembers => {
                return write!(f, "JSON object has more than {MAX_JSON_MEMBERS} members");
            }
            Self::DuplicateMember => "JSON member appears more than once",
            Self::ClaimsNotObject => "claims are not a JSON object",
            Self::MissingAlg => "header has no alg",
            Self::AlgNone => "alg none is never accepted",
            Self::UnsupportedAlgorithm => "alg is not supported",
            Self::AlgNotAllowed => "alg is not allowed",
            Self::UnsupportedCritical => "header has crit",
            Self::UnexpectedTyp => "typ is not an ID token type",
            Self::BadSignature => "signature does not verify",
            Self::TokenTooLarge => return write!(f, "token exceeds {MAX_TOKEN_LEN} bytes"),
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
/// use implicit_grant::{Error, ErrorKind, SelectionError};
/// let e = Error::from(SelectionError::UnknownKey);
/// assert_eq!(e, Error::KeySelection(SelectionError::UnknownKey));
/// assert_eq!(e.kind(), ErrorKind::KeysOutdated);
/// assert_eq!(e.to_string(), "key selection: no key matches the token");
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

/// A JSON Web Key or JWK Set cannot be used (RFC 7517, RFC 7518 §6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyError {
    /// Not strict RFC 8259 JSON, or not a JSON object.
    InvalidKeyJson,
    /// A member appears twice in one object (RFC 7517 §4, §5).
    DuplicateKeyMember(JwkMember),
    /// A required member is absent.
    MissingKeyMember(JwkMember),
    /// A member has the wrong JSON type, is not strict base64url, or breaks its encoding
    /// rules (an integer with a leading zero octet, a coordinate of the wrong length).
    InvalidKeyMember(JwkMember),
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
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidKeyJson => f.write_str("key set is not a JSON object"),
            Self::DuplicateKeyMember(m) => write!(f, "key member {} appears twice", m.as_str()),
            Self::MissingKeyMember(m) => write!(f, "key member {} is missing", m.as_str()),
            Self::InvalidKeyMember(m) => write!(f, "key member {} is invalid", m.as_str()),
            Self::TooManyKeys => write!(f, "key set holds more than {JWKS_CAPACITY} keys"),
            Self::Unsupported => f.write_str("key type, curve or alg is not supported"),
            Self::WeakKey => f.write_str(
                "key is too weak for its algorithm (RSA under 2048 bits, or an HMAC secret shorter than its hash)",
            ),
            Self::InvalidModulus => f.write_str("RSA modulus is even or longer than 4096 bits"),
            Self::InvalidExponent => f.write_str("RSA exponent is even, or outside 3 to 2^32 - 1"),
            Self::InvalidPoint => f.write_str("EC point is not on the curve"),
            Self::NotForSignatures => f.write_str("key is not for signatures"),
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
    /// The ID token of a refresh differs from the session's in this claim (`iss`, `sub`,
    /// `aud`, `azp`, `auth_time` or `nonce`), which OIDC Core §12.2 requires to stay the
    /// same: it is not the same user's login at the same client.
    ChangedOnRefresh(Claim),
}

impl fmt::Display for ClaimsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingClaim(c) => write!(f, "claim {} is missing", c.as_str()),
            Self::InvalidClaimType(c) => write!(f, "claim {} has the wrong type", c.as_str()),
            Self::InvalidClaimValue(c) => write!(f, "claim {} is invalid", c.as_str()),
            Self::IssuerMismatch => f.write_str("iss is not the expected issuer"),
            Self::AudienceMismatch => f.write_str("aud does not contain the client id"),
            Self::UntrustedAudience => f.write_str("aud holds an entry that is not trusted"),
            Self::TooManyAudiences => write!(f, "aud has more than {MAX_AUDIENCES} entries"),
            Self::AzpMismatch => f.write_str("azp is not the client id"),
            Self::Expired => f.write_str("exp has passed, by more than the leeway"),
            Self::NotYetValid => f.write_str("nbf is ahead, by more than the leeway"),
            Self::IssuedInFuture => f.write_str("iat is in the future, by more than the leeway"),
            Self::NonceMismatch => f.write_str("nonce is not the one this login sent"),
            Self::AuthTooOld => {
                f.write_str("auth_time is older than max_age (and the leeway) allows")
            }
            Self::AuthTimeInFuture => {
                f.write_str("auth_time is in the future, by more than the leeway")
            }
            Self::AtHashMismatch => f.write_str("at_hash does not match the access token"),
            Self::ChangedOnRefresh(c) => {
                write!(
                    f,
                    "claim {} differs from the session's ID token",
                    c.as_str()
                )
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
    InvalidMetadataJson,
    /// A member name appears twice at the top level.
    DuplicateMetadataMember,
    /// A required member is absent.
    MissingMetadataMember(MetadataMember),
    /// A member has the wrong JSON type, or a URL member is not an absolute `https` URL
    /// without fragment (the issuer: nor with a query).
    InvalidMetadataMember(MetadataMember),
    /// `issuer` is not exactly the issuer the caller expected (OIDC Discovery 1.0 §4.3,
    /// RFC 8414 §3.3): the document may be an attacker's, or another tenant's.
    UnexpectedIssuer,
    /// The provider does not list the response type asked for
    /// ([`ConfigBuilder::from_metadata`](crate::ConfigBuilder::from_metadata): `id_token token`).
    ResponseTypeUnsupported,
    /// The provider's `response_modes_supported` lacks the response type's default mode
    /// (`fragment` for the implicit types, `query` for `code`).
    ResponseModeUnsupported,
    /// The provider's `code_challenge_methods_supported` lacks `S256`, or is absent (RFC 7636
    /// §4.2, RFC 8414 §2): it may not check the PKCE challenge a `code` request sends.
    PkceUnsupported,
    /// None of the provider's ID token algorithms is one this build verifies with a
    /// [`Jwks`](crate::verify::Jwks) (`none` and the HMAC algorithms never count).
    NoCommonAlgorithm,
}

impl fmt::Display for MetadataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidMetadataJson => write!(
                f,
                "metadata is not a JSON object of at most {MAX_METADATA_MEMBERS} members"
            ),
            Self::DuplicateMetadataMember => f.write_str("a metadata member appears twice"),
            Self::MissingMetadataMember(m) => {
                write!(f, "metadata member {} is missing", m.as_str())
            }
            Self::InvalidMetadataMember(m) => {
                write!(f, "metadata member {} is invalid", m.as_str())
            }
            Self::UnexpectedIssuer => f.write_str("metadata issuer is not the expected issuer"),
            Self::ResponseTypeUnsupported => {
                f.write_str("provider does not list the response type")
            }
            Self::ResponseModeUnsupported => {
                f.write_str("provider does not list the response type's response mode")
            }
            Self::PkceUnsupported => f.write_str("provider does not list the PKCE method S256"),
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
    NoPendingTransaction,
    /// The pending transaction is older than the configured limit.
    TransactionExpired,
    /// The response has no `state`.
    StateMissing,
    /// The response's `state` differs from the stored one.
    StateMismatch,
    /// The RFC 9207 `iss` response parameter differs from the configured issuer.
    IssParameterMismatch,
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
    /// The verified ID token of a renewal names another user than its `id_token_hint`
    /// ([`Config::silent`](crate::Config::silent)): the provider answered for whoever is
    /// logged in there now. Keep the current session, or ask the user to log in.
    // Last: the variants before it keep their 0.1 discriminants.
    UserMismatch,
}

impl fmt::Display for FlowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NoPendingTransaction => "no pending transaction (replay or lost storage)",
            Self::TransactionExpired => "pending transaction has expired",
            Self::StateMissing => "response has no state",
            Self::StateMismatch => "state does not match",
            Self::IssParameterMismatch => "response iss does not match the issuer",
            Self::RedirectUriMismatch => "callback URL does not match redirect_uri",
            Self::TransactionMismatch => "transaction was made under another configuration",
            Self::CorruptTransaction => "stored transaction is malformed",
            Self::UserMismatch => "ID token names another user than the id_token_hint (sub)",
            Self::Random => "random source failed",
            Self::Storage => "transaction storage failed",
        })
    }
}

/// What kind of failure an [`Error`] is: what the caller does about it.
///
/// One step from any error ([`Error::kind`]); the variants of the layer enums say exactly
/// what failed.
///
/// ```
/// use implicit_grant::{Error, ErrorKind, FlowError};
/// let kind = Error::from(FlowError::NoPendingTransaction).kind();
/// let advice = match kind {
///     ErrorKind::NoTransaction => "this login was already used, or began in another browser",
///     ErrorKind::Refused | ErrorKind::Malformed => "the response cannot be trusted: log in again",
///     ErrorKind::KeysOutdated => "fetch the provider's keys again",
///     ErrorKind::Capability => "random source or storage failed",
///     _ => "a bug in the calling code",
/// };
/// assert_eq!(advice, "this login was already used, or began in another browser");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The caller's mistake: a configuration or request that breaks a rule, a buffer too
    /// small, a sink that refused a write. Fixed in the calling code, never by retrying.
    Misuse,
    /// The response, token, key set or metadata is not well-formed: a broken or hostile peer.
    Malformed,
    /// Well-formed, but a check refused it: signature, claims, `state`, issuer, algorithm.
    Refused,
    /// No pending transaction for this response: a replay, a response meant for another
    /// tab or browser, an expired or lost login.
    NoTransaction,
    /// No key has the token's `kid`: the provider may have rotated its keys; fetch them again.
    KeysOutdated,
    /// A capability of the host failed: its random source or its transaction store.
    Capability,
}

/// Every error of the crate.
///
/// `Display` includes the inner error; `source()` is not overridden, so reporters print the
/// message once. [`Error::kind`] sorts every error into the few cases a caller acts on.
///
/// ```
/// use implicit_grant::{Error, ErrorKind, FlowError};
/// let e = Error::from(FlowError::StateMismatch);
/// assert_eq!(e.to_string(), "flow: state does not match");
/// assert_eq!(e.kind(), ErrorKind::Refused);
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
    /// See [`SelectionError`].
    KeySelection(SelectionError),
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
            Self::KeySelection(e) => write!(f, "key selection: {e}"),
            Self::Claims(e) => write!(f, "claims: {e}"),
            Self::Flow(e) => write!(f, "flow: {e}"),
            Self::Key(e) => write!(f, "key: {e}"),
            Self::Metadata(e) => write!(f, "metadata: {e}"),
        }
    }
}

impl Error {
    /// The kind of failure: what the caller does about it.
    ///
    /// ```
    /// use implicit_grant::{ClaimsError, Error, ErrorKind};
    /// assert_eq!(Error::from(ClaimsError::Expired).kind(), ErrorKind::Refused);
    /// assert_eq!(Error::BufferTooSmall { required: 9 }.kind(), ErrorKind::Misuse);
    /// ```
    #[must_use]
    pub const fn kind(&self) -> ErrorKind {
        use ErrorKind::{Capability, KeysOutdated, Malformed, Misuse, NoTransaction, Refused};
        match self {
            Self::BufferTooSmall { .. } | Self::Write | Self::Config(_) => Misuse,
            Self::Response(_) => Malformed,
            Self::Jwt(e) => match e {
                JwtError::AlgNone
                | JwtError::UnsupportedAlgorithm
                | JwtError::AlgNotAllowed
                | JwtError::UnsupportedCritical
                | JwtError::UnexpectedTyp
                | JwtError::EncryptedUnsupported
                | JwtError::BadSignature => Refused,
                _ => Malformed,
            },
            Self::KeySelection(SelectionError::UnknownKey) => KeysOutdated,
            Self::KeySelection(_) => Refused,
            Self::Claims(e) => match e {
                ClaimsError::MissingClaim(_)
                | ClaimsError::InvalidClaimType(_)
                | ClaimsError::InvalidClaimValue(_)
                | ClaimsError::TooManyAudiences => Malformed,
                _ => Refused,
            },
            Self::Flow(e) => match e {
                FlowError::NoPendingTransaction | FlowError::TransactionExpired => NoTransaction,
                FlowError::StateMissing => Malformed,
                FlowError::Random | FlowError::Storage | FlowError::CorruptTransaction => {
                    Capability
                }
                _ => Refused,
            },
            Self::Key(e) => match e {
                KeyError::WeakKey | KeyError::Unsupported | KeyError::NotForSignatures => Refused,
                _ => Malformed,
            },
            Self::Metadata(e) => match e {
                MetadataError::InvalidMetadataJson
                | MetadataError::DuplicateMetadataMember
                | MetadataError::MissingMetadataMember(_)
                | MetadataError::InvalidMetadataMember(_) => Malformed,
                _ => Refused,
            },
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
roll_up!(ConfigError => Config, ResponseError => Response, JwtError => Jwt, SelectionError => KeySelection, ClaimsError => Claims, FlowError => Flow, KeyError => Key, MetadataError => Metadata);

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

impl From<SinkError> for Error {
    fn from(e: SinkError) -> Self {
        match e {
            SinkError::BufferTooSmall { required } => Self::BufferTooSmall { required },
            SinkError::Write => Self::Write,
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
            JsonError::OutputTooShort => Self::TokenTooLarge,
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
            JwtError::TokenTooLarge
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
            assert_eq!(Error::from(e), Error::KeySelection(e));
            assert_eq!(
                Error::from(e).to_string(),
                std::format!("key selection: {text}")
            );
            let kind = if e == SelectionError::UnknownKey {
                ErrorKind::KeysOutdated
            } else {
                ErrorKind::Refused
            };
            assert_eq!(Error::from(e).kind(), kind);
        }
    }
}

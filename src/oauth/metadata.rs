//! Provider metadata: the OpenID Provider Configuration document (OIDC Discovery 1.0 §3–4,
//! whose members RFC 8414 §2 shares with OAuth 2.0 Authorization Server Metadata), read
//! strictly. The members OIDC requires (`jwks_uri`, `id_token_signing_alg_values_supported`)
//! are required: a plain RFC 8414 document without them is refused.

use crate::algorithm::Algorithm;
use crate::codec::json::{self, JsonError, Names, Value};
use crate::error::{Error, MetadataError};
use crate::limits::MAX_METADATA_MEMBERS;
use crate::oauth::authorize::{ResponseMode, ResponseType};
use crate::oauth::param::Param;
use crate::oauth::url::check_url;
use MetadataMember as M;

/// Every JWA signature algorithm this crate names (the size of an algorithm list).
const ALGORITHMS: usize = 14;

/// A provider's metadata, from its `/.well-known/openid-configuration` document: what the
/// implicit flow needs of it, checked.
///
/// [`ProviderMetadata::parse`] reads the document; [`ConfigBuilder::from_metadata`](crate::ConfigBuilder::from_metadata)
/// then configures the flow from it.
///
/// # Security
/// The document is trusted only because it was fetched over `https` from the issuer's own
/// `/.well-known/` URL *and* its `issuer` equals the issuer the caller expected (OIDC
/// Discovery 1.0 §4.3, RFC 8414 §3.3): `parse` checks the second, the host must do the
/// first. Every URL it holds is then an absolute `https` URL without fragment.
///
/// # Examples
/// ```
/// use implicit_grant::{ProviderMetadata, ResponseType};
/// let document = r#"{
///   "issuer": "https://server.example.com",
///   "authorization_endpoint": "https://server.example.com/connect/authorize",
///   "jwks_uri": "https://server.example.com/jwks.json",
///   "end_session_endpoint": "https://server.example.com/connect/logout",
///   "response_types_supported": ["code", "id_token", "token id_token"],
///   "subject_types_supported": ["public"],
///   "id_token_signing_alg_values_supported": ["RS256", "ES256"]
/// }"#;
/// let mut scratch = [0u8; 1024];
/// let metadata = ProviderMetadata::parse(document, "https://server.example.com", &mut scratch)?;
/// assert_eq!(metadata.jwks_uri(), "https://server.example.com/jwks.json");
/// assert!(metadata.supports_response_type(ResponseType::IdTokenToken));
/// assert!(!metadata.supports_response_type(ResponseType::Token));
/// # Ok::<(), implicit_grant::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ProviderMetadata<'a> {
    issuer: &'a str,
    authorization_endpoint: &'a str,
    jwks_uri: &'a str,
    end_session_endpoint: Option<&'a str>,
    token_endpoint: Option<&'a str>,
    /// One bit per [`ResponseType`] listed ([`type_bit`]).
    response_types: u8,
    /// One bit per [`ResponseMode`] listed ([`mode_bit`]).
    response_modes: u8,
    algorithms: heapless::Vec<Algorithm, ALGORITHMS>,
    /// The listed algorithms this build verifies with public keys, for a `Config`.
    pub(crate) verifiable: heapless::Vec<Algorithm, ALGORITHMS>,
    iss_parameter_supported: bool,
    /// `code_challenge_methods_supported` lists `S256` (or the caller knows the provider
    /// enforces it: [`Self::assume_pkce_s256`]).
    pkce_s256: bool,
    /// The issuer is an `http` loopback URL (the caller expected one): development only.
    pub(crate) loopback_http: bool,
}

impl<'a> ProviderMetadata<'a> {
    /// Reads the metadata document `json` of the provider whose issuer identifier is
    /// `expected_issuer`, canonicalizing it into `scratch` (which the result borrows).
    ///
    /// Strict JSON (no duplicate member, [`MAX_METADATA_MEMBERS`] members at most);
    /// `issuer` equal to `expected_issuer` byte for byte (OIDC Discovery 1.0 §4.3) and an
    /// `https` URL without query or fragment; `authorization_endpoint` and `jwks_uri`
    /// required, and with `end_session_endpoint` (OIDC RP-Initiated Logout 1.0 §2.1)
    /// absolute `https` URLs without fragment (`http` only on a loopback host, and only when
    /// the expected issuer is itself such a URL: a development provider);
    /// `response_types_supported` and `id_token_signing_alg_values_supported` (OIDC
    /// Discovery §3; RFC 8414 has no ID tokens) required arrays of strings; `response_modes_supported` (default `query`, `fragment`) an array
    /// of strings; `authorization_response_iss_parameter_supported` (RFC 9207 §3, default
    /// `false`) a boolean. Other members are ignored, as Discovery §3 requires; values this
    /// crate does not know (a `code` response type, an algorithm such as `ES256K`, `none`)
    /// are skipped.
    ///
    /// # Errors
    /// [`Error::Metadata`] with [`MetadataError::InvalidMetadataJson`],
    /// [`MetadataError::DuplicateMetadataMember`], [`MetadataError::MissingMetadataMember`],
    /// [`MetadataError::InvalidMetadataMember`] or [`MetadataError::UnexpectedIssuer`];
    /// [`Error::BufferTooSmall`] with the exact size when `scratch` is shorter than the
    /// canonical document (never longer than `json`).
    ///
    /// ```
    /// use implicit_grant::{Error, MetadataError, ProviderMetadata};
    /// let document = r#"{"issuer":"https://evil.example","authorization_endpoint":"https://evil.example/a",
    ///     "jwks_uri":"https://evil.example/k","response_types_supported":["id_token token"],
    ///     "id_token_signing_alg_values_supported":["RS256"]}"#;
    /// let mut scratch = [0u8; 512];
    /// let parsed = ProviderMetadata::parse(document, "https://op.example", &mut scratch);
    /// assert_eq!(parsed.err(), Some(Error::Metadata(MetadataError::UnexpectedIssuer)));
    /// ```
    ///
    /// [`MAX_METADATA_MEMBERS`]: crate::limits::MAX_METADATA_MEMBERS
    pub fn parse(json: &str, expected_issuer: &str, scratch: &'a mut [u8]) -> Result<Self, Error> {
        let mut names = Names::<MAX_METADATA_MEMBERS>::new();
        let len = match json::canonicalize_with(json.as_bytes(), scratch, names.as_mut_view()) {
            Ok(len) => len,
            Err(JsonError::OutputTooShort) => {
                let required = json::canonical_len(json.as_bytes()).unwrap_or(json.len());
                return Err(Error::BufferTooSmall { required });
            }
            Err(JsonError::DuplicateMember) => {
                return Err(MetadataError::DuplicateMetadataMember.into());
            }
            Err(_) => return Err(MetadataError::InvalidMetadataJson.into()),
        };
        let text = scratch
            .get(..len)
            .and_then(|canonical| core::str::from_utf8(canonical).ok())
            .ok_or(MetadataError::InvalidMetadataJson)?;
        Ok(Self::read(text, expected_issuer)?)
    }

    fn read(text: &'a str, expected_issuer: &str) -> Result<Self, MetadataError> {
        let (mut issuer, mut authorization_endpoint, mut jwks_uri) = (None, None, None);
        let (mut end_session_endpoint, mut token_endpoint) = (None, None);
        let (mut response_types, mut algorithms) = (None, None);
        // OIDC Discovery 1.0 §3: absent means `["query", "fragment"]`.
        let mut response_modes = DEFAULT_MODES;
        let mut iss_parameter_supported = false;
        let mut pkce_s256 = false;
        for member in json::members(text) {
            let (name, value) = member.map_err(|_| MetadataError::InvalidMetadataJson)?;
            match name {
                "issuer" => issuer = Some(string(value, M::Issuer)?),
                "authorization_endpoint" => {
                    authorization_endpoint = Some(string(value, M::AuthorizationEndpoint)?);
                }
                "jwks_uri" => jwks_uri = Some(string(value, M::JwksUri)?),
                "end_session_endpoint" => {
                    end_session_endpoint = Some(string(value, M::EndSessionEndpoint)?);
                }
                "token_endpoint" => token_endpoint = Some(string(value, M::TokenEndpoint)?),
                "code_challenge_methods_supported" => {
                    let member = M::CodeChallengeMethodsSupported;
                    pkce_s256 = strings(value, member, false, |s256, method| {
                        s256 || method == "S256"
                    })?;
                }
                "response_types_supported" => {
                    let member = M::ResponseTypesSupported;
                    response_types = Some(strings(value, member, 0, |bits, entry| {
                        bits | response_type(entry).map_or(0, type_bit)
                    })?);
                }
                "response_modes_supported" => {
                    response_modes = strings(value, M::ResponseModesSupported, 0, |bits, mode| {
                        bits | match mode {
                            "fragment" => mode_bit(ResponseMode::Fragment),
                            "form_post" => mode_bit(ResponseMode::FormPost),
                            #[cfg(feature = "code")]
                            "query" => mode_bit(ResponseMode::Query),
                            _ => 0,
                        }
                    })?;
                }
                "id_token_signing_alg_values_supported" => {
                    let member = M::IdTokenSigningAlgValuesSupported;
                    algorithms = Some(strings(
                        value,
                        member,
                        heapless::Vec::new(),
                        |mut list, name| {
                            if let Ok(alg) = Algorithm::from_name(name)
                                && !list.contains(&alg)
                            {
                                // There are as many slots as algorithm names.
                                let _ = list.push(alg);
                            }
                            list
                        },
                    )?);
                }
                "authorization_response_iss_parameter_supported" => {
                    iss_parameter_supported = match value {
                        Value::Bool(b) => b,
                        _ => {
                            return Err(MetadataError::InvalidMetadataMember(
                                M::AuthorizationResponseIssParameterSupported,
                            ));
                        }
                    };
                }
                _ => {}
            }
        }
        let issuer = issuer.ok_or(MetadataError::MissingMetadataMember(M::Issuer))?;
        if issuer != expected_issuer {
            return Err(MetadataError::UnexpectedIssuer);
        }
        let issuer_invalid = MetadataError::InvalidMetadataMember(M::Issuer);
        url(issuer, M::Issuer, true)?;
        if issuer.contains('?') {
            return Err(issuer_invalid);
        }
        // `url` admitted it: `https`, or `http` on a loopback host (the scheme in any case).
        let loopback_http = !issuer
            .get(..8)
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"));
        let endpoint = |value: Option<&'a str>, member| {
            let value = value.ok_or(MetadataError::MissingMetadataMember(member))?;
            url(value, member, loopback_http).map(|()| value)
        };
        let authorization_endpoint = endpoint(authorization_endpoint, M::AuthorizationEndpoint)?;
        let jwks_uri = endpoint(jwks_uri, M::JwksUri)?;
        if let Some(logout) = end_session_endpoint {
            url(logout, M::EndSessionEndpoint, loopback_http)?;
        }
        if let Some(token) = token_endpoint {
            url(token, M::TokenEndpoint, loopback_http)?;
        }
        let algorithms: heapless::Vec<Algorithm, ALGORITHMS> = algorithms.ok_or(
            MetadataError::MissingMetadataMember(M::IdTokenSigningAlgValuesSupported),
        )?;
        let verifiable = algorithms
            .iter()
            .copied()
            .filter(|alg| alg.verifiable_with_public_keys())
            .collect();
        Ok(Self {
            issuer,
            authorization_endpoint,
            jwks_uri,
            end_session_endpoint,
            token_endpoint,
            response_types: response_types.ok_or(MetadataError::MissingMetadataMember(
                M::ResponseTypesSupported,
            ))?,
            response_modes,
            algorithms,
            verifiable,
            iss_parameter_supported,
            pkce_s256,
            loopback_http,
        })
    }

    /// `issuer`: the provider's issuer identifier, equal to the one `parse` was given.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let document = r#"{"issuer":"https://server.example.com",
    /// #   "authorization_endpoint":"https://server.example.com/connect/authorize",
    /// #   "jwks_uri":"https://server.example.com/jwks.json",
    /// #   "end_session_endpoint":"https://server.example.com/connect/logout",
    /// #   "response_types_supported":["code","id_token","token id_token"],
    /// #   "subject_types_supported":["public"],
    /// #   "id_token_signing_alg_values_supported":["RS256","ES256"]}"#;
    /// # let mut scratch = [0u8; 1024];
    /// # let metadata = ProviderMetadata::parse(document, "https://server.example.com", &mut scratch)?;
    /// // `metadata`: the document of the `ProviderMetadata` example.
    /// assert_eq!(metadata.issuer(), "https://server.example.com");
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    #[must_use]
    pub const fn issuer(&self) -> &'a str {
        self.issuer
    }

    /// `authorization_endpoint`, where [`begin`](crate::begin) sends the user.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let document = r#"{"issuer":"https://server.example.com",
    /// #   "authorization_endpoint":"https://server.example.com/connect/authorize",
    /// #   "jwks_uri":"https://server.example.com/jwks.json",
    /// #   "end_session_endpoint":"https://server.example.com/connect/logout",
    /// #   "response_types_supported":["code","id_token","token id_token"],
    /// #   "subject_types_supported":["public"],
    /// #   "id_token_signing_alg_values_supported":["RS256","ES256"]}"#;
    /// # let mut scratch = [0u8; 1024];
    /// # let metadata = ProviderMetadata::parse(document, "https://server.example.com", &mut scratch)?;
    /// // `metadata`: the document of the `ProviderMetadata` example.
    /// assert_eq!(metadata.authorization_endpoint(), "https://server.example.com/connect/authorize");
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    #[must_use]
    pub const fn authorization_endpoint(&self) -> &'a str {
        self.authorization_endpoint
    }

    /// `jwks_uri`: the provider's JWK Set, for [`Jwks::parse`](crate::verify::Jwks::parse).
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let document = r#"{"issuer":"https://server.example.com",
    /// #   "authorization_endpoint":"https://server.example.com/connect/authorize",
    /// #   "jwks_uri":"https://server.example.com/jwks.json",
    /// #   "end_session_endpoint":"https://server.example.com/connect/logout",
    /// #   "response_types_supported":["code","id_token","token id_token"],
    /// #   "subject_types_supported":["public"],
    /// #   "id_token_signing_alg_values_supported":["RS256","ES256"]}"#;
    /// # let mut scratch = [0u8; 1024];
    /// # let metadata = ProviderMetadata::parse(document, "https://server.example.com", &mut scratch)?;
    /// // `metadata`: the document of the `ProviderMetadata` example.
    /// assert_eq!(metadata.jwks_uri(), "https://server.example.com/jwks.json");
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    #[must_use]
    pub const fn jwks_uri(&self) -> &'a str {
        self.jwks_uri
    }

    /// `end_session_endpoint` (OIDC RP-Initiated Logout 1.0 §2.1), for a
    /// [`LogoutRequest`](crate::LogoutRequest); `None` when the provider has none.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let document = r#"{"issuer":"https://server.example.com",
    /// #   "authorization_endpoint":"https://server.example.com/connect/authorize",
    /// #   "jwks_uri":"https://server.example.com/jwks.json",
    /// #   "end_session_endpoint":"https://server.example.com/connect/logout",
    /// #   "response_types_supported":["code","id_token","token id_token"],
    /// #   "subject_types_supported":["public"],
    /// #   "id_token_signing_alg_values_supported":["RS256","ES256"]}"#;
    /// # let mut scratch = [0u8; 1024];
    /// # let metadata = ProviderMetadata::parse(document, "https://server.example.com", &mut scratch)?;
    /// // `metadata`: the document of the `ProviderMetadata` example.
    /// assert_eq!(metadata.end_session_endpoint(), Some("https://server.example.com/connect/logout"));
    /// if let Some(endpoint) = metadata.end_session_endpoint() {
    ///     let url = LogoutRequest::new(endpoint).client_id("s6BhdRkqt3").to_string::<128>()?;
    ///     assert_eq!(url, "https://server.example.com/connect/logout?client_id=s6BhdRkqt3");
    /// }
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    #[must_use]
    pub const fn end_session_endpoint(&self) -> Option<&'a str> {
        self.end_session_endpoint
    }

    /// Whether `code_challenge_methods_supported` lists `S256` (RFC 8414 §2: absent means
    /// the provider does not support PKCE). A provider that does not may ignore the
    /// challenge a `code` request sends, and redeem its code without the verifier: PKCE
    /// then protects nothing (RFC 9700 §2.1.1), and only `state` (and the `nonce`) stand
    /// against an injected code.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// let document = r#"{"issuer":"https://server.example.com",
    ///   "authorization_endpoint":"https://server.example.com/connect/authorize",
    ///   "jwks_uri":"https://server.example.com/jwks.json",
    ///   "response_types_supported":["code"],
    ///   "code_challenge_methods_supported":["plain","S256"],
    ///   "id_token_signing_alg_values_supported":["RS256"]}"#;
    /// let mut scratch = [0u8; 1024];
    /// let metadata = ProviderMetadata::parse(document, "https://server.example.com", &mut scratch)?;
    /// assert!(metadata.supports_pkce_s256());
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    #[must_use]
    pub const fn supports_pkce_s256(&self) -> bool {
        self.pkce_s256
    }

    /// The same metadata, for a provider known to enforce PKCE `S256` though its document
    /// does not list `code_challenge_methods_supported`: RFC 9700 §2.1.1 lets a provider make
    /// its support known "in a deployment-specific way" instead. Microsoft Entra ID documents
    /// it; django-oidc-provider checks any challenge sent. Then
    /// [`supports_pkce_s256`](Self::supports_pkce_s256) is true, and
    /// [`ConfigBuilder::from_metadata_for`](crate::ConfigBuilder::from_metadata_for) builds
    /// a `code` configuration.
    ///
    /// # Security
    /// Only on knowledge of the deployment: a provider that ignores the challenge would
    /// redeem a stolen code without the verifier, and a public client has no other defence
    /// against that (RFC 9700 §2.1.1: public clients MUST use PKCE).
    ///
    /// ```
    /// # use implicit_grant::*;
    /// let document = r#"{"issuer":"https://server.example.com",
    ///   "authorization_endpoint":"https://server.example.com/connect/authorize",
    ///   "jwks_uri":"https://server.example.com/jwks.json",
    ///   "response_types_supported":["code"],
    ///   "id_token_signing_alg_values_supported":["RS256"]}"#;
    /// let mut scratch = [0u8; 1024];
    /// let metadata = ProviderMetadata::parse(document, "https://server.example.com", &mut scratch)?;
    /// assert!(!metadata.supports_pkce_s256());
    /// assert!(metadata.assume_pkce_s256().supports_pkce_s256());
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    #[must_use]
    pub fn assume_pkce_s256(mut self) -> Self {
        self.pkce_s256 = true;
        self
    }

    /// `token_endpoint` (RFC 8414 §2; OIDC Discovery 1.0 §3: required unless the provider
    /// only offers the implicit flow), where a host POSTs a
    /// [`TokenRequest`](crate::TokenRequest): an absolute `https` URL without fragment,
    /// when present.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// let document = r#"{"issuer":"https://server.example.com",
    ///   "authorization_endpoint":"https://server.example.com/connect/authorize",
    ///   "token_endpoint":"https://server.example.com/connect/token",
    ///   "jwks_uri":"https://server.example.com/jwks.json",
    ///   "response_types_supported":["code","id_token","token id_token"],
    ///   "id_token_signing_alg_values_supported":["RS256"]}"#;
    /// let mut scratch = [0u8; 1024];
    /// let metadata = ProviderMetadata::parse(document, "https://server.example.com", &mut scratch)?;
    /// assert_eq!(metadata.token_endpoint(), Some("https://server.example.com/connect/token"));
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    #[must_use]
    pub const fn token_endpoint(&self) -> Option<&'a str> {
        self.token_endpoint
    }

    /// Whether `response_types_supported` lists `response_type` (its space-separated values
    /// in any order: `token id_token` is `id_token token`).
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let document = r#"{"issuer":"https://server.example.com",
    /// #   "authorization_endpoint":"https://server.example.com/connect/authorize",
    /// #   "jwks_uri":"https://server.example.com/jwks.json",
    /// #   "end_session_endpoint":"https://server.example.com/connect/logout",
    /// #   "response_types_supported":["code","id_token","token id_token"],
    /// #   "subject_types_supported":["public"],
    /// #   "id_token_signing_alg_values_supported":["RS256","ES256"]}"#;
    /// # let mut scratch = [0u8; 1024];
    /// # let metadata = ProviderMetadata::parse(document, "https://server.example.com", &mut scratch)?;
    /// // `metadata`: the document of the `ProviderMetadata` example.
    /// // It lists "code", "id_token", "token id_token".
    /// assert!(metadata.supports_response_type(ResponseType::IdToken));
    /// assert!(metadata.supports_response_type(ResponseType::IdTokenToken));
    /// assert!(!metadata.supports_response_type(ResponseType::Token));
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    #[must_use]
    pub const fn supports_response_type(&self, response_type: ResponseType) -> bool {
        self.response_types & type_bit(response_type) != 0
    }

    /// Whether `response_modes_supported` lists `response_mode` (`fragment` when the member
    /// is absent).
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let document = r#"{"issuer":"https://server.example.com",
    /// #   "authorization_endpoint":"https://server.example.com/connect/authorize",
    /// #   "jwks_uri":"https://server.example.com/jwks.json",
    /// #   "end_session_endpoint":"https://server.example.com/connect/logout",
    /// #   "response_types_supported":["code","id_token","token id_token"],
    /// #   "subject_types_supported":["public"],
    /// #   "id_token_signing_alg_values_supported":["RS256","ES256"]}"#;
    /// # let mut scratch = [0u8; 1024];
    /// # let metadata = ProviderMetadata::parse(document, "https://server.example.com", &mut scratch)?;
    /// // `metadata`: the document of the `ProviderMetadata` example.
    /// // It has no `response_modes_supported`.
    /// assert!(metadata.supports_response_mode(ResponseMode::Fragment));
    /// assert!(!metadata.supports_response_mode(ResponseMode::FormPost));
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    #[must_use]
    pub const fn supports_response_mode(&self, response_mode: ResponseMode) -> bool {
        self.response_modes & mode_bit(response_mode) != 0
    }

    /// `id_token_signing_alg_values_supported`, in the provider's order, without the names
    /// this crate does not know (and without `none`).
    ///
    /// ```
    /// use implicit_grant::{Algorithm, ProviderMetadata};
    /// let document = r#"{"issuer":"https://server.example.com",
    ///   "authorization_endpoint":"https://server.example.com/connect/authorize",
    ///   "jwks_uri":"https://server.example.com/jwks.json",
    ///   "response_types_supported":["id_token"],
    ///   "id_token_signing_alg_values_supported":["RS256","ES256K","none","ES256"]}"#;
    /// let mut scratch = [0u8; 512];
    /// let metadata = ProviderMetadata::parse(document, "https://server.example.com", &mut scratch)?;
    /// assert_eq!(metadata.id_token_signing_algs(), &[Algorithm::RS256, Algorithm::ES256]);
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    #[must_use]
    pub fn id_token_signing_algs(&self) -> &[Algorithm] {
        &self.algorithms
    }

    /// `authorization_response_iss_parameter_supported` (RFC 9207 §3; `false` when
    /// absent): whether the provider sends `iss` in authorization responses.
    ///
    /// ```
    /// use implicit_grant::ProviderMetadata;
    /// let document = r#"{"issuer":"https://server.example.com",
    ///   "authorization_endpoint":"https://server.example.com/connect/authorize",
    ///   "jwks_uri":"https://server.example.com/jwks.json",
    ///   "response_types_supported":["id_token"],
    ///   "id_token_signing_alg_values_supported":["RS256"],
    ///   "authorization_response_iss_parameter_supported":true}"#;
    /// let mut scratch = [0u8; 512];
    /// let metadata = ProviderMetadata::parse(document, "https://server.example.com", &mut scratch)?;
    /// assert!(metadata.iss_parameter_supported());
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    #[must_use]
    pub const fn iss_parameter_supported(&self) -> bool {
        self.iss_parameter_supported
    }
}

/// A string member without escapes (no URL, response type or algorithm name holds `"`,
/// `\` or a control character, the only characters the canonical text keeps escaped).
fn string(value: Value<'_>, member: M) -> Result<&str, MetadataError> {
    value
        .plain_str()
        .flatten()
        .ok_or(MetadataError::InvalidMetadataMember(member))
}

/// Folds the strings of an array member into `init` with `f`.
fn strings<'t, T>(
    value: Value<'t>,
    member: M,
    init: T,
    mut f: impl FnMut(T, &'t str) -> T,
) -> Result<T, MetadataError> {
    let Value::Array(array) = value else {
        return Err(MetadataError::InvalidMetadataMember(member));
    };
    let mut acc = init;
    for element in json::elements(array) {
        let element = element.map_err(|_| MetadataError::InvalidMetadataJson)?;
        acc = f(acc, string(element, member)?);
    }
    Ok(acc)
}

/// An absolute `https` URL without fragment, or `http` on a loopback host if allowed.
fn url(value: &str, member: M, allow_loopback_http: bool) -> Result<(), MetadataError> {
    check_url(value, Param::Endpoint, allow_loopback_http)
        .map_err(|_| MetadataError::InvalidMetadataMember(member))
}

/// `response_modes_supported` when absent: `query` and `fragment` (OIDC Discovery 1.0 §3).
#[cfg(feature = "code")]
const DEFAULT_MODES: u8 = mode_bit(ResponseMode::Fragment) | mode_bit(ResponseMode::Query);
#[cfg(not(feature = "code"))]
const DEFAULT_MODES: u8 = mode_bit(ResponseMode::Fragment);

/// The response type a `response_types_supported` entry names: its
/// space-separated values, each once, in any order (OAuth 2.0 Multiple Response Types §2).
fn response_type(entry: &str) -> Option<ResponseType> {
    let (mut id_token, mut token, mut code) = (0u8, 0u8, 0u8);
    for value in entry.split(' ') {
        match value {
            "id_token" => id_token = id_token.saturating_add(1),
            "token" => token = token.saturating_add(1),
            "code" => code = code.saturating_add(1),
            _ => return None,
        }
    }
    match (id_token, token, code) {
        (0, 1, 0) => Some(ResponseType::Token),
        (1, 0, 0) => Some(ResponseType::IdToken),
        (1, 1, 0) => Some(ResponseType::IdTokenToken),
        #[cfg(feature = "code")]
        (0, 0, 1) => Some(ResponseType::Code),
        _ => None,
    }
}

const fn type_bit(response_type: ResponseType) -> u8 {
    match response_type {
        ResponseType::Token => 1,
        ResponseType::IdToken => 2,
        ResponseType::IdTokenToken => 4,
        #[cfg(feature = "code")]
        ResponseType::Code => 8,
    }
}

const fn mode_bit(response_mode: ResponseMode) -> u8 {
    match response_mode {
        ResponseMode::Fragment => 1,
        ResponseMode::FormPost => 2,
        #[cfg(feature = "code")]
        ResponseMode::Query => 4,
    }
}

/// A member of provider metadata (OIDC Discovery 1.0 §3, RFC 8414 §2, RFC 9207 §3,
/// OIDC RP-Initiated Logout 1.0 §2.1).
///
/// An error names the member at fault:
/// ```
/// use implicit_grant::{Error, MetadataError, MetadataMember, ProviderMetadata};
/// let document = r#"{"issuer":"https://server.example.com",
///   "authorization_endpoint":"https://server.example.com/connect/authorize",
///   "response_types_supported":["id_token"],
///   "id_token_signing_alg_values_supported":["RS256"]}"#;
/// let mut scratch = [0u8; 512];
/// let parsed = ProviderMetadata::parse(document, "https://server.example.com", &mut scratch);
/// let missing = MetadataError::MissingMetadataMember(MetadataMember::JwksUri);
/// assert_eq!(parsed.err(), Some(Error::Metadata(missing)));
/// ```
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
    /// `token_endpoint`
    TokenEndpoint,
    /// `code_challenge_methods_supported` (RFC 8414 §2)
    CodeChallengeMethodsSupported,
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
            Self::TokenEndpoint => "token_endpoint",
            Self::CodeChallengeMethodsSupported => "code_challenge_methods_supported",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6749_3_1_1_response_type_entries_are_sets_of_known_values() {
        use ResponseType as R;
        for (entry, expected) in [
            ("token", Some(R::Token)),
            ("id_token", Some(R::IdToken)),
            ("id_token token", Some(R::IdTokenToken)),
            ("token id_token", Some(R::IdTokenToken)),
            #[cfg(feature = "code")]
            ("code", Some(R::Code)),
            #[cfg(not(feature = "code"))]
            ("code", None),
            ("code code", None),
            ("code id_token", None),
            ("code token", None),
            ("code id_token token", None),
            ("token token", None),
            ("id_token  token", None),
            ("", None),
            ("none", None),
        ] {
            assert_eq!(response_type(entry), expected, "{entry:?}");
        }
    }
}

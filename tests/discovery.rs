//! Provider metadata (OIDC Discovery 1.0 §3–4, RFC 8414 §2–3, RFC 9207 §3) read from the
//! documents real providers publish (`tests/data/discovery/`, provenance in its README):
//! Auth0, Keycloak, Okta, Google, Microsoft Entra ID, and the oidc-provider the end-to-end
//! tests run. Each parsed document is cross-checked against `serde_json`'s reading of it.
#![cfg(all(
    feature = "rsa",
    feature = "ecdsa",
    feature = "es512",
    feature = "eddsa"
))]

mod common;

use common::SeqRng;
use implicit_grant::{
    Algorithm, ClientId, ConfigBuilder, Error, IssParameter, MemoryStore, MetadataError,
    MetadataMember as M, OwnedConfig, ProviderMetadata, RedirectUri, ResponseMode, ResponseType,
    UnixTime, begin,
};
use serde_json::Value;

const AUTH0: &str = include_str!("data/discovery/auth0.json");
const KEYCLOAK: &str = include_str!("data/discovery/keycloak.json");
const OKTA: &str = include_str!("data/discovery/okta.json");
const GOOGLE: &str = include_str!("data/discovery/google.json");
const ENTRA: &str = include_str!("data/discovery/entra.json");
const OIDC_PROVIDER: &str = include_str!("data/discovery/oidc-provider.json");

fn parse<'a>(
    document: &str,
    issuer: &str,
    scratch: &'a mut Vec<u8>,
) -> Result<ProviderMetadata<'a>, Error> {
    scratch.resize(document.len(), 0);
    ProviderMetadata::parse(document, issuer, scratch)
}

fn refusal(document: &str, issuer: &str) -> MetadataError {
    match parse(document, issuer, &mut Vec::new()) {
        Err(Error::Metadata(e)) => e,
        other => panic!("expected a metadata error, got {other:?}"),
    }
}

/// `document` with member `name` set to `value` (JSON text), or removed when `None`; the
/// member order is kept (serde_json's `preserve_order` is off: order does not matter here).
fn with(document: &str, name: &str, value: Option<&str>) -> String {
    let mut object: serde_json::Map<String, Value> = serde_json::from_str(document).unwrap();
    match value {
        Some(value) => {
            object.insert(name.to_owned(), serde_json::from_str(value).unwrap());
        }
        None => {
            object.remove(name);
        }
    }
    Value::Object(object).to_string()
}

/// What the crate read agrees with an independent JSON parser's reading.
fn agrees_with_serde(metadata: &ProviderMetadata<'_>, document: &str) {
    let doc: Value = serde_json::from_str(document).unwrap();
    let text = |name: &str| doc[name].as_str().map(str::to_owned);
    assert_eq!(Some(metadata.issuer().to_owned()), text("issuer"));
    assert_eq!(
        Some(metadata.authorization_endpoint().to_owned()),
        text("authorization_endpoint")
    );
    assert_eq!(Some(metadata.jwks_uri().to_owned()), text("jwks_uri"));
    assert_eq!(
        metadata.end_session_endpoint().map(str::to_owned),
        text("end_session_endpoint")
    );
    assert_eq!(
        metadata.token_endpoint().map(str::to_owned),
        text("token_endpoint")
    );
    let methods = doc["code_challenge_methods_supported"].as_array();
    assert_eq!(
        metadata.supports_pkce_s256(),
        methods.is_some_and(|m| m.iter().any(|v| v == "S256"))
    );
    let algs: Vec<Algorithm> = doc["id_token_signing_alg_values_supported"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|name| Algorithm::from_name(name.as_str().unwrap()).ok())
        .collect();
    assert_eq!(metadata.id_token_signing_algs(), algs.as_slice());
    let types: Vec<Vec<&str>> = doc["response_types_supported"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            let mut values: Vec<&str> = entry.as_str().unwrap().split(' ').collect();
            values.sort_unstable();
            values
        })
        .collect();
    for (response_type, values) in [
        (ResponseType::Token, vec!["token"]),
        (ResponseType::IdToken, vec!["id_token"]),
        (ResponseType::IdTokenToken, vec!["id_token", "token"]),
    ] {
        assert_eq!(
            metadata.supports_response_type(response_type),
            types.contains(&values),
            "{response_type:?}"
        );
    }
    let modes = doc["response_modes_supported"]
        .as_array()
        .map(|modes| {
            modes
                .iter()
                .map(|m| m.as_str().unwrap())
                .collect::<Vec<_>>()
        })
        .unwrap_or_else(|| vec!["query", "fragment"]);
    assert_eq!(
        metadata.supports_response_mode(ResponseMode::Fragment),
        modes.contains(&"fragment")
    );
    assert_eq!(
        metadata.supports_response_mode(ResponseMode::FormPost),
        modes.contains(&"form_post")
    );
    assert_eq!(
        metadata.iss_parameter_supported(),
        doc["authorization_response_iss_parameter_supported"] == Value::Bool(true)
    );
}

#[test]
fn published_documents_parse_under_their_issuer_and_agree_with_serde_json() {
    use Algorithm as A;
    for (name, document, issuer, configured) in [
        (
            "auth0",
            AUTH0,
            "https://sanand.us.auth0.com/",
            &[A::RS256, A::PS256][..],
        ),
        (
            "okta",
            OKTA,
            "https://dev-265911.oktapreview.com/oauth2/default",
            &[A::RS256],
        ),
        ("google", GOOGLE, "https://accounts.google.com", &[A::RS256]),
        (
            "oidc-provider",
            OIDC_PROVIDER,
            "http://127.0.0.1:39411",
            &[A::PS256, A::RS256, A::ES256, A::ES384, A::EdDSA],
        ),
    ] {
        let mut scratch = Vec::new();
        let metadata = parse(document, issuer, &mut scratch).unwrap();
        agrees_with_serde(&metadata, document);
        // Auth0 and Google list `token id_token`: the same set as `id_token token`.
        assert!(
            metadata.supports_response_type(ResponseType::IdTokenToken),
            "{name}"
        );
        let config = ConfigBuilder::from_metadata(
            &metadata,
            ClientId::new("client"),
            RedirectUri::new("https://app.example/cb"),
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .build()
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        // HS256 (Auth0) is left out: a public key never verifies it.
        assert_eq!(config.algorithms(), configured, "{name}");
        // RFC 9207 §3: advertised, the `iss` parameter is required; not advertised (Google
        // sends it anyway), one equal to the issuer is tolerated.
        let expected = if metadata.iss_parameter_supported() {
            IssParameter::Supported
        } else {
            IssParameter::Tolerated
        };
        assert_eq!(config.iss_parameter(), expected, "{name}");
        assert_eq!(
            config.allow_loopback_http(),
            issuer.starts_with("http://"),
            "{name}"
        );
    }
}

#[test]
fn oidc_discovery_4_3_issuer_must_be_the_expected_one_exactly() {
    // OIDC Discovery 1.0 §4.3: no normalisation; Auth0's issuer ends in a slash.
    for expected in [
        "https://sanand.us.auth0.com",
        "https://SANAND.us.auth0.com/",
        "https://sanand.us.auth0.com//",
        "https://other.us.auth0.com/",
    ] {
        assert_eq!(
            refusal(AUTH0, expected),
            MetadataError::UnexpectedIssuer,
            "{expected}"
        );
    }
    // Entra's multi-tenant document names a template, never an issuer: an app must read
    // its own tenant's document.
    assert_eq!(
        refusal(ENTRA, "https://login.microsoftonline.com/common/v2.0"),
        MetadataError::UnexpectedIssuer
    );
    assert_eq!(
        refusal(ENTRA, "https://login.microsoftonline.com/{tenantid}/v2.0"),
        MetadataError::InvalidMetadataMember(M::Issuer)
    );
    // RFC 8414 §2: no query or fragment in the issuer.
    for issuer in ["https://op.example/?tenant=a", "https://op.example/#a"] {
        let document = with(GOOGLE, "issuer", Some(&format!("{issuer:?}")));
        assert_eq!(
            refusal(&document, issuer),
            MetadataError::InvalidMetadataMember(M::Issuer),
            "{issuer}"
        );
    }
}

#[test]
fn oidc_discovery_3_keycloak_is_refused_over_http_and_read_over_https() {
    let issuer = "http://158.39.75.110/realms/naic-monitor";
    // The realm as published: plain http on a public address (Discovery §3: https).
    assert_eq!(
        refusal(KEYCLOAK, issuer),
        MetadataError::InvalidMetadataMember(M::Issuer)
    );
    // The same document as the realm serves it behind TLS: only the origin differs.
    let over_tls = KEYCLOAK.replace("http://158.39.75.110", "https://sso.example.org");
    let issuer = "https://sso.example.org/realms/naic-monitor";
    let mut scratch = Vec::new();
    let metadata = parse(&over_tls, issuer, &mut scratch).unwrap();
    agrees_with_serde(&metadata, &over_tls);
    assert_eq!(metadata.id_token_signing_algs().len(), 13);
    let config = ConfigBuilder::from_metadata(
        &metadata,
        ClientId::new("client"),
        RedirectUri::new("https://app.example/cb"),
    )
    .unwrap()
    .build()
    .unwrap();
    use Algorithm as A;
    assert_eq!(
        config.algorithms(),
        [
            A::PS384,
            A::RS384,
            A::EdDSA,
            A::ES384,
            A::ES256,
            A::RS256,
            A::ES512,
            A::PS256,
            A::PS512,
            A::RS512
        ]
    );
    assert_eq!(config.iss_parameter(), IssParameter::Supported);
}

#[test]
fn config_from_oidc_provider_metadata_drives_begin() {
    let mut scratch = Vec::new();
    let metadata = parse(OIDC_PROVIDER, "http://127.0.0.1:39411", &mut scratch).unwrap();
    let config = ConfigBuilder::from_metadata(
        &metadata,
        ClientId::new("spa-rs256"),
        RedirectUri::new("http://127.0.0.1:39412/cb"),
    )
    .unwrap()
    .scope(&["openid", "email"])
    .build()
    .unwrap();
    assert_eq!(config.iss_parameter(), IssParameter::Supported);
    let mut buf = [0u8; 1024];
    let mut store = MemoryStore::<2>::new();
    let now = UnixTime::from_secs(1_790_000_000);
    let url = begin(&config, &mut SeqRng(3), &mut store, now, &mut buf).unwrap();
    assert!(
        url.starts_with(
            "http://127.0.0.1:39411/auth?response_type=id_token%20token&client_id=spa-rs256\
             &redirect_uri=http%3A%2F%2F127.0.0.1%3A39412%2Fcb&scope=openid%20email&state="
        ),
        "{url}"
    );
    assert_eq!(store.len(), 1);
    // A loopback issuer admits loopback endpoints, never others over http.
    let remote = with(
        OIDC_PROVIDER,
        "jwks_uri",
        Some(r#""http://op.example/jwks""#),
    );
    assert_eq!(
        refusal(&remote, "http://127.0.0.1:39411"),
        MetadataError::InvalidMetadataMember(M::JwksUri)
    );
}

/// An owned configuration outlives the metadata document and the buffer it was read into:
/// what an app keeps in a struct after discovery.
#[test]
fn owned_config_from_metadata_outlives_the_document_buffer() {
    let owned: OwnedConfig = {
        let mut scratch = Vec::new();
        let metadata = parse(AUTH0, "https://sanand.us.auth0.com/", &mut scratch).unwrap();
        let config = ConfigBuilder::from_metadata(
            &metadata,
            ClientId::new("q7cS2ZpX4WmB9tN1"),
            RedirectUri::new("https://app.example.com/callback"),
        )
        .unwrap()
        .build()
        .unwrap();
        OwnedConfig::new(&config).unwrap()
    };
    let mut buf = [0u8; 1024];
    let mut store = MemoryStore::<2>::new();
    let now = UnixTime::from_secs(1_790_000_000);
    let url = owned
        .with(|config| begin(config, &mut SeqRng(3), &mut store, now, &mut buf))
        .unwrap();
    assert!(
        url.starts_with("https://sanand.us.auth0.com/authorize?response_type=id_token%20token"),
        "{url}"
    );
    assert_eq!(store.len(), 1);
    assert_eq!(
        owned.with(|c| (c.algorithms().to_vec(), c.iss_parameter())),
        (
            vec![Algorithm::RS256, Algorithm::PS256],
            IssParameter::Tolerated
        )
    );
}

#[test]
fn config_from_metadata_needs_the_implicit_response_and_a_verifiable_algorithm() {
    let issuer = "https://accounts.google.com";
    for (name, value, expected) in [
        (
            "response_types_supported",
            r#"["code","id_token","code id_token"]"#,
            MetadataError::ResponseTypeUnsupported,
        ),
        (
            "response_modes_supported",
            r#"["query","form_post"]"#,
            MetadataError::ResponseModeUnsupported,
        ),
        (
            "id_token_signing_alg_values_supported",
            r#"["HS256","none","ES256K"]"#,
            MetadataError::NoCommonAlgorithm,
        ),
    ] {
        let document = with(GOOGLE, name, Some(value));
        let mut scratch = Vec::new();
        let metadata = parse(&document, issuer, &mut scratch).unwrap();
        assert_eq!(
            ConfigBuilder::from_metadata(
                &metadata,
                ClientId::new("c"),
                RedirectUri::new("https://app.example/cb")
            )
            .err(),
            Some(expected),
            "{name}"
        );
    }
}

#[test]
fn oidc_discovery_3_members_are_required_typed_and_unique() {
    let issuer = "https://accounts.google.com";
    for member in [
        M::Issuer,
        M::AuthorizationEndpoint,
        M::JwksUri,
        M::ResponseTypesSupported,
        M::IdTokenSigningAlgValuesSupported,
    ] {
        let document = with(GOOGLE, member.as_str(), None);
        assert_eq!(
            refusal(&document, issuer),
            MetadataError::MissingMetadataMember(member),
            "{member:?}"
        );
    }
    for (member, value) in [
        (M::Issuer, "1"),
        (M::AuthorizationEndpoint, "null"),
        (
            M::AuthorizationEndpoint,
            r#""http://accounts.google.com/o/oauth2/v2/auth""#,
        ),
        (
            M::AuthorizationEndpoint,
            r#""https://accounts.google.com/auth#x""#,
        ),
        (M::JwksUri, r#""/oauth2/v3/certs""#),
        (
            M::JwksUri,
            r#"["https://www.googleapis.com/oauth2/v3/certs"]"#,
        ),
        (
            M::EndSessionEndpoint,
            r#""http://accounts.google.com/logout""#,
        ),
        (M::TokenEndpoint, r#""http://oauth2.googleapis.com/token""#),
        (M::TokenEndpoint, r#""/token""#),
        (M::TokenEndpoint, "null"),
        (M::CodeChallengeMethodsSupported, r#""S256""#),
        (M::CodeChallengeMethodsSupported, r#"["S256", 256]"#),
        (M::ResponseTypesSupported, r#""id_token token""#),
        (M::ResponseTypesSupported, r#"["id_token token", 1]"#),
        (M::ResponseModesSupported, r#"{"fragment":true}"#),
        (M::IdTokenSigningAlgValuesSupported, r#""RS256""#),
        (M::AuthorizationResponseIssParameterSupported, r#""true""#),
    ] {
        let document = with(GOOGLE, member.as_str(), Some(value));
        assert_eq!(
            refusal(&document, issuer),
            MetadataError::InvalidMetadataMember(member),
            "{member:?} = {value}"
        );
    }
    // A second `issuer`, even spelled with an escape, is a duplicate (RFC 8259 §4 leaves
    // the meaning open; a parser that kept the last one could be steered).
    let open = GOOGLE.trim_end().strip_suffix('}').unwrap();
    for duplicate in [
        r#","issuer":"https://evil.example""#,
        r#","iss\u0075er":"https://accounts.google.com""#,
    ] {
        let document = format!("{open}{duplicate}}}");
        assert_eq!(
            refusal(&document, issuer),
            MetadataError::DuplicateMetadataMember
        );
    }
    for broken in [
        "",
        "[]",
        "{",
        &format!("{open},}}"),
        &GOOGLE.replace('{', "{\u{1}"),
    ] {
        assert_eq!(
            refusal(broken, issuer),
            MetadataError::InvalidMetadataJson,
            "{broken:?}"
        );
    }
}

#[test]
fn escapes_unknown_values_and_member_limits() {
    let issuer = "https://accounts.google.com";
    // `\/` is `/` (RFC 8259 §7): some servers escape every slash.
    let escaped = GOOGLE.replace('/', "\\/");
    let mut scratch = Vec::new();
    let metadata = parse(&escaped, issuer, &mut scratch).unwrap();
    assert_eq!(
        metadata.jwks_uri(),
        "https://www.googleapis.com/oauth2/v3/certs"
    );
    // Unknown response types, modes and algorithms are skipped, not errors.
    let document = with(
        GOOGLE,
        "id_token_signing_alg_values_supported",
        Some(r#"["ES256K","RS256","RS256","none","Ed448"]"#),
    );
    let mut scratch = Vec::new();
    let metadata = parse(&document, issuer, &mut scratch).unwrap();
    assert_eq!(metadata.id_token_signing_algs(), [Algorithm::RS256]);
    // limits::MAX_METADATA_MEMBERS top-level members, and one more.
    let open = GOOGLE.trim_end().strip_suffix('}').unwrap();
    let members = GOOGLE.matches("\n \"").count();
    assert_eq!(members, 15);
    let filler = |n: usize| -> String { (0..n).map(|i| format!(",\"x_{i}\":{i}")).collect() };
    let limit = implicit_grant::limits::MAX_METADATA_MEMBERS;
    let full = format!("{open}{}}}", filler(limit - members));
    assert!(parse(&full, issuer, &mut Vec::new()).is_ok());
    let over = format!("{open}{}}}", filler(limit - members + 1));
    assert_eq!(refusal(&over, issuer), MetadataError::InvalidMetadataJson);
}

#[test]
fn a_short_scratch_gets_the_exact_canonical_size() {
    let issuer = "https://accounts.google.com";
    let Err(Error::BufferTooSmall { required }) = ProviderMetadata::parse(GOOGLE, issuer, &mut [])
    else {
        panic!("expected the size");
    };
    // The canonical form drops the pretty-printing whitespace.
    let compact = serde_json::from_str::<Value>(GOOGLE).unwrap().to_string();
    assert_eq!(required, compact.len());
    assert!(required < GOOGLE.len());
    let mut scratch = vec![0u8; required];
    assert!(ProviderMetadata::parse(GOOGLE, issuer, &mut scratch).is_ok());
    let mut short = vec![0u8; required - 1];
    assert_eq!(
        ProviderMetadata::parse(GOOGLE, issuer, &mut short).err(),
        Some(Error::BufferTooSmall { required })
    );
}

/// RFC 8414 §2, RFC 7636 §4.2, RFC 9700 §2.1.1, OIDC Discovery 1.0 §3: the code flow from
/// the published documents that list `code` with S256 (Auth0, Okta, Google), its token
/// endpoint read; a document listing challenge methods without S256, or none (as Entra ID
/// publishes), is refused unless the caller knows the provider enforces PKCE.
#[cfg(feature = "code")]
#[test]
fn config_from_metadata_for_code_needs_code_query_and_s256() {
    for (name, document, issuer, token_endpoint) in [
        (
            "auth0",
            AUTH0,
            "https://sanand.us.auth0.com/",
            "https://sanand.us.auth0.com/oauth/token",
        ),
        (
            "okta",
            OKTA,
            "https://dev-265911.oktapreview.com/oauth2/default",
            "https://dev-265911.oktapreview.com/oauth2/default/v1/token",
        ),
        (
            "google",
            GOOGLE,
            "https://accounts.google.com",
            "https://oauth2.googleapis.com/token",
        ),
    ] {
        let mut scratch = Vec::new();
        let metadata = parse(document, issuer, &mut scratch).unwrap();
        assert!(metadata.supports_pkce_s256(), "{name}");
        assert_eq!(metadata.token_endpoint(), Some(token_endpoint), "{name}");
        let config = ConfigBuilder::from_metadata_for(
            &metadata,
            ResponseType::Code,
            ClientId::new("client"),
            RedirectUri::new("https://app.example/cb"),
        )
        .map(|b| b.scope(&["openid"]))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .build()
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(config.response_mode(), ResponseMode::Query, "{name}");
        let (mut store, mut url) = (MemoryStore::<1>::new(), [0u8; 1024]);
        let now = UnixTime::from_secs(1_700_000_000);
        let url = begin(&config, &mut SeqRng(0), &mut store, now, &mut url).unwrap();
        assert!(url.contains("?response_type=code&"), "{name}: {url}");
        assert!(url.contains("&code_challenge_method=S256"), "{name}: {url}");
    }
    // The oidc-provider document of the implicit e2e clients lists no `code`.
    let mut scratch = Vec::new();
    let metadata = parse(OIDC_PROVIDER, "http://127.0.0.1:39411", &mut scratch).unwrap();
    fn for_code(metadata: &ProviderMetadata<'_>) -> Result<(), MetadataError> {
        let client = ClientId::new("c");
        let redirect = RedirectUri::new("https://app.example/cb");
        ConfigBuilder::from_metadata_for(metadata, ResponseType::Code, client, redirect).map(drop)
    }
    assert_eq!(
        for_code(&metadata),
        Err(MetadataError::ResponseTypeUnsupported)
    );
    let issuer = "https://accounts.google.com";
    for (name, value, expected) in [
        (
            "code_challenge_methods_supported",
            Some(r#"["plain"]"#),
            Err(MetadataError::PkceUnsupported),
        ),
        (
            "code_challenge_methods_supported",
            None,
            Err(MetadataError::PkceUnsupported),
        ),
        (
            "response_modes_supported",
            Some(r#"["fragment","form_post"]"#),
            Err(MetadataError::ResponseModeUnsupported),
        ),
    ] {
        let document = with(GOOGLE, name, value);
        let mut scratch = Vec::new();
        let metadata = parse(&document, issuer, &mut scratch).unwrap();
        assert_eq!(for_code(&metadata), expected, "{name} {value:?}");
    }
    // RFC 9700 §2.1.1's deployment-specific way: a provider known to enforce PKCE though
    // its document does not say so, as Entra ID publishes it.
    let document = with(GOOGLE, "code_challenge_methods_supported", None);
    let mut scratch = Vec::new();
    let metadata = parse(&document, issuer, &mut scratch).unwrap();
    assert_eq!(for_code(&metadata.assume_pkce_s256()), Ok(()));
}

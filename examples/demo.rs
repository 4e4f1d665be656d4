//! The whole implicit flow, offline: `begin`, a simulated provider that signs a real RS256
//! ID token and publishes its JWKS, the callback fragment, `complete`, and the
//! `Authorization: Bearer` header.
//!
//! Run with `cargo run --example demo`.

use base64ct::{Base64UrlUnpadded, Encoding};
use core::time::Duration;
use implicit_grant::verify::Jwks;
use implicit_grant::{
    AuthorizationEndpoint, ClientId, Config, Issuer, MemoryStore, Outcome, Random, RandomError,
    RedirectUri, UnixTime, bearer_header, begin, complete,
};
use rsa::signature::{SignatureEncoding, Signer};
use sha2::{Digest, Sha256};

const ISSUER: &str = "https://dev-example.us.auth0.com/";
const CLIENT_ID: &str = "q7cS2ZpX4WmB9tN1";
const AUDIENCE: &str = "http://localhost:7001/api/appointments";
/// The provider's RSA-2048 signing key (a test key of this repository).
const PROVIDER_KEY: &str = "rsa-2048-a";

/// The host's randomness. A real host uses the OS or `crypto.getRandomValues`; the demo
/// uses a seeded xorshift so that its output is reproducible.
struct DemoRng(u64);

impl Random for DemoRng {
    fn fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), RandomError> {
        for b in dest {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            *b = self.0.to_le_bytes()[0];
        }
        Ok(())
    }
}

/// The simulated provider's own failures (not the crate's).
type ProviderResult<T> = Result<T, Box<dyn std::error::Error>>;

/// The provider's key pair, from `tests/data/keys.json`, as (private key, public JWK Set).
fn provider_keys() -> ProviderResult<(rsa::PrivateKey, String)> {
    let all: serde_json::Value = serde_json::from_str(include_str!("../tests/data/keys.json"))?;
    let jwk = all["keys"]
        .as_array()
        .and_then(|keys| keys.iter().find(|k| k["kid"] == PROVIDER_KEY))
        .ok_or("no such test key")?;
    let member = |m: &str| jwk[m].as_str().ok_or("the test key lacks a member");
    let int = |m: &str| -> ProviderResult<rsa::BoxedUint> {
        let bytes = Base64UrlUnpadded::decode_vec(member(m)?).map_err(|e| e.to_string())?;
        Ok(rsa::BoxedUint::from_be_slice_vartime(&bytes))
    };
    let primes = vec![int("p")?, int("q")?];
    let key = rsa::PrivateKey::from_components(int("n")?, int("e")?, int("d")?, primes)?;
    let jwks = format!(
        r#"{{"keys":[{{"kty":"RSA","use":"sig","alg":"RS256","kid":"{PROVIDER_KEY}","n":"{}","e":"{}"}}]}}"#,
        member("n")?,
        member("e")?
    );
    Ok((key, jwks))
}

/// The authorization server's side: log the user in and answer with a fragment.
fn provider(key: &rsa::PrivateKey, authorize_url: &str, now: u64) -> ProviderResult<String> {
    let (_, query) = authorize_url.split_once('?').ok_or("no query")?;
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|p| p.strip_prefix(&format!("{name}=")))
            .ok_or("a parameter is missing")
    };
    let (state, nonce) = (param("state")?, param("nonce")?);
    let b64 = |bytes: &[u8]| Base64UrlUnpadded::encode_string(bytes);
    let access_token = b64(b"opaque access token for the appointments API");
    let at_hash = b64(&Sha256::digest(access_token.as_bytes())[..16]);
    let claims = format!(
        r#"{{"iss":"{ISSUER}","sub":"auth0|5f7c8ec7c33c6c004bbafe82","aud":"{CLIENT_ID}","#,
    ) + &format!(
        r#""iat":{now},"exp":{},"nonce":"{nonce}","at_hash":"{at_hash}","name":"Jane Doe","#,
        now + 36000
    ) + r#""email":"janedoe@example.com","https:\/\/example.com\/roles":"admin"}"#;
    let signing_input = format!(
        "{}.{}",
        b64(format!(r#"{{"alg":"RS256","typ":"JWT","kid":"{PROVIDER_KEY}"}}"#).as_bytes()),
        b64(claims.as_bytes())
    );
    let signer = rsa::pkcs1v15::SigningKey::<Sha256>::new(key.clone());
    let signature = signer.sign(signing_input.as_bytes()).to_vec();
    let id_token = format!("{signing_input}.{}", b64(&signature));
    Ok(format!(
        "#access_token={access_token}&id_token={id_token}&token_type=Bearer&expires_in=7200\
         &scope=openid%20profile%20email&state={state}"
    ))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let now = UnixTime::from_secs(1_790_000_000); // the host's clock
    let later = |secs| now.saturating_add(Duration::from_secs(secs));
    // Every setting is checked here, once: `begin` and `complete` cannot fail on it.
    let config = Config::builder(
        Issuer::new(ISSUER),
        AuthorizationEndpoint::new("https://dev-example.us.auth0.com/authorize"),
        ClientId::new(CLIENT_ID),
        RedirectUri::new("https://app.example.com/callback"),
    )
    .scope(&["openid", "profile", "email"])
    .audience(AUDIENCE)
    .build()?;
    // The accepted algorithms default to RS256 only.
    let (provider_key, provider_jwks) = provider_keys()?;

    let mut rng = DemoRng(0x9E37_79B9_7F4A_7C15);
    // The host's storage: `sessionStorage` in a browser; here the crate's bounded store,
    // room for 4 pending logins (tabs, silent renewals).
    let mut storage = MemoryStore::<4>::new();

    println!("1. begin: redirect the browser to");
    let mut url_buf = [0u8; 1024];
    let url = begin(&config, &mut rng, &mut storage, now, &mut url_buf)?;
    println!("   {url}\n");

    println!("2. the provider logs the user in and redirects back to");
    let fragment = provider(&provider_key, url, later(20).as_secs())?;
    println!("   https://app.example.com/callback{}…\n", &fragment[..80]);

    println!("3. complete: parse, check state, verify the ID token with the provider's JWKS");
    // The host fetched this from the provider's jwks_uri.
    let key = Jwks::parse(&provider_jwks)?;
    let mut scratch = [0u8; 4096];
    let stray = fragment.replace("state=", "state=x");
    if let Err(refused) = complete(&config, &stray, &mut storage, &key, later(21), &mut scratch) {
        println!(
            "   a stray redirect with another state is refused ({refused}; {:?}), \
             the login stays pending",
            refused.kind()
        );
    }
    let session = match complete(
        &config,
        &fragment,
        &mut storage,
        &key,
        later(21),
        &mut scratch,
    )? {
        Outcome::Authorized(session) => session,
        Outcome::Denied(denial) => {
            println!("   the provider refused: {denial}");
            return Ok(());
        }
        Outcome::KeysOutdated => {
            println!("   the provider rotated its keys: fetch its JWKS again and retry");
            return Ok(());
        }
    };
    if let Some(claims) = session.claims {
        println!(
            "   signed in: sub={} iss={} (verified with {:?})",
            claims.sub(),
            claims.iss(),
            claims.alg()
        );
        #[derive(serde::Deserialize)]
        struct Profile<'a> {
            name: &'a str,
            email: &'a str,
            #[serde(rename = "https://example.com/roles")]
            roles: &'a str,
        }
        let profile: Profile = claims.decode_claims(&mut [])?;
        println!(
            "   profile: name={} email={} roles={}",
            profile.name, profile.email, profile.roles
        );
    }
    if let (Some(at), Some(lifetime)) = (session.expires_at, session.expires_in) {
        println!(
            "   access token expires at {} (in {} s)\n",
            at.as_secs(),
            lifetime.as_secs()
        );
    }

    if let Some(access_token) = session.access_token {
        println!("4. call the API with");
        let mut header = [0u8; 256];
        println!(
            "   Authorization: {}…\n",
            &bearer_header(access_token, &mut header)?[..20]
        );
    }

    println!("5. the same redirect again (a replay) is refused:");
    let mut scratch = [0u8; 4096];
    match complete(
        &config,
        &fragment,
        &mut storage,
        &key,
        later(30),
        &mut scratch,
    ) {
        Err(replay) => println!("   {replay} ({:?})", replay.kind()),
        Ok(_) => println!("   accepted?!"),
    }
    Ok(())
}

//! An authorize URL built from arbitrary parameters either is refused with an error or
//! parses back (with an independent decoder, `form_urlencoded`) to exactly the values it
//! was built from, each once. Run: `cargo +nightly fuzz run authorize_roundtrip`.
#![no_main]

use implicit_grant::{AuthorizeRequest, ResponseType};
use libfuzzer_sys::arbitrary::{Result, Unstructured};

fn text<'a>(u: &mut Unstructured<'a>) -> Result<&'a str> {
    let len = u.int_in_range(0..=40)?;
    let bytes = u.bytes(len)?;
    Ok(core::str::from_utf8(bytes).unwrap_or("x"))
}

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let redirect = format!("https://client.example/{}", text(u)?);
    let client_id = text(u)?;
    let (state, nonce, audience, login_hint) = (text(u)?, text(u)?, text(u)?, text(u)?);
    let scope: Vec<&str> = (0..u.int_in_range(0..=4)?)
        .map(|_| text(u))
        .collect::<Result<_>>()?;
    let extra_name = text(u)?;
    let extra_value = text(u)?;
    let extra = [(extra_name, extra_value)];
    let response_type = *u.choose(&[
        ResponseType::Token,
        ResponseType::IdToken,
        ResponseType::IdTokenToken,
    ])?;
    let max_age: Option<u64> = u.arbitrary()?;

    let mut req = AuthorizeRequest::new("https://op.example/authorize", client_id, &redirect)
        .response_type(response_type)
        .scope(&scope)
        .state(state)
        .nonce(nonce)
        .audience(audience)
        .login_hint(login_hint);
    if let Some(age) = max_age {
        req = req.max_age(core::time::Duration::from_secs(age));
    }
    if u.arbitrary()? {
        req = req.extra(&extra);
    }
    let Ok(url) = req.to_string::<4096>() else {
        return Ok(());
    };
    let query = url
        .strip_prefix("https://op.example/authorize?")
        .expect("the URL starts with the endpoint");
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let get = |name: &str| {
        let found: Vec<&String> = pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v)
            .collect();
        assert!(found.len() <= 1, "{name} twice in {url}");
        found.first().map(|v| v.as_str())
    };
    let nonempty = |s: &'_ str| (!s.is_empty()).then(|| s.to_owned());
    assert_eq!(get("response_type"), Some(response_type.as_str()));
    assert_eq!(get("client_id"), Some(client_id));
    assert_eq!(get("redirect_uri"), Some(redirect.as_str()));
    assert_eq!(get("state"), Some(state));
    assert_eq!(get("nonce").map(str::to_owned), nonempty(nonce));
    assert_eq!(get("audience").map(str::to_owned), nonempty(audience));
    assert_eq!(get("login_hint").map(str::to_owned), nonempty(login_hint));
    let joined = scope.join(" ");
    assert_eq!(get("scope").map(str::to_owned), nonempty(&joined));
    assert_eq!(get("max_age"), max_age.map(|a| a.to_string()).as_deref());
    Ok(())
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

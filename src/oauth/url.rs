//! URL checks of the authorization request: the endpoint and `redirect_uri` are absolute
//! `https` URLs without fragment, or `http` on a loopback host when allowed (RFC 3986,
//! RFC 6749 §3.1, §3.1.2, RFC 9700 §2.6).

use crate::codec::scan;
use crate::error::ConfigError;
use crate::oauth::param::Param;

/// The length of `scheme` when `input` starts with `scheme://` (RFC 3986 §3.1).
pub(crate) fn scheme_end(input: &str) -> Option<usize> {
    // `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`, read only as far as it goes.
    let bytes = input.as_bytes();
    if !bytes.first()?.is_ascii_alphabetic() {
        return None;
    }
    let len = bytes
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))?;
    input.get(len..)?.starts_with("://").then_some(len)
}

/// A URL character: printable ASCII but space and `" < > \ ^ ` { | }` (RFC 3986 §2).
const fn is_url_char(b: u8) -> bool {
    (b.wrapping_sub(0x21) <= 0x7E - 0x21)
        & (b != b'"')
        & (b != b'<')
        & (b != b'>')
        & (b != b'\\')
        & (b != b'^')
        & (b != b'`')
        & (b.wrapping_sub(b'{') > b'}' - b'{')
}

/// The query of `url`: what follows its first `?`, or `None` without one.
pub(crate) fn query(url: &str) -> Option<&str> {
    url.get(scan::find(url.as_bytes(), b'?')..)?
        .strip_prefix('?')
}

/// What goes between an endpoint and the first parameter the crate adds: `?` without a
/// query, nothing after an empty query or a trailing `&`, else `&` (RFC 6749 §3.1 keeps the
/// endpoint's own query).
pub(crate) fn separator(endpoint: &str) -> &'static str {
    match query(endpoint) {
        None => "?",
        Some(q) if q.is_empty() || q.ends_with('&') => "",
        Some(_) => "&",
    }
}

/// An absolute `https` URL without fragment, or `http` on a loopback host when allowed
/// (RFC 6749 §3.1, §3.1.2; RFC 9700 §2.6).
pub(crate) fn check_url(
    url: &str,
    param: Param,
    allow_loopback_http: bool,
) -> Result<(), ConfigError> {
    let bytes = url.as_bytes();
    if bytes.is_empty() {
        return Err(ConfigError::Missing(param));
    }
    // One scan proves the common case; a failure is then told apart, a fragment first.
    if !scan::all_bytes(bytes, |b| is_url_char(b) & (b != b'#')) {
        return Err(if bytes.contains(&b'#') {
            ConfigError::HasFragment(param)
        } else {
            ConfigError::Invalid(param)
        });
    }
    let scheme_len = scheme_end(url).ok_or(ConfigError::NotAbsolute(param))?;
    let (scheme, rest) = url.split_at_checked(scheme_len).unwrap_or_default();
    let after_slashes = rest.get(3..).unwrap_or_default();
    let authority_len = after_slashes
        .bytes()
        .position(|b| (b == b'/') | (b == b'?'))
        .unwrap_or(after_slashes.len());
    let authority = after_slashes.get(..authority_len).unwrap_or_default();
    if !has_host(authority) {
        return Err(ConfigError::NotAbsolute(param));
    }
    let secure = scheme.eq_ignore_ascii_case("https")
        || (scheme.eq_ignore_ascii_case("http") && allow_loopback_http && is_loopback(authority));
    if secure {
        Ok(())
    } else {
        Err(ConfigError::Insecure(param))
    }
}

/// Whether an RFC 3986 authority (§3.2) names a host: something after its `userinfo@`
/// that does not start with the `:port` (a host holds a `:` only inside `[…]`).
fn has_host(authority: &str) -> bool {
    let host_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, rest)| rest);
    !host_port.is_empty() && !host_port.starts_with(':')
}

/// `localhost`, `127.0.0.1` or `[::1]`, with an optional port and no userinfo.
fn is_loopback(authority: &str) -> bool {
    let (host, port) = match authority.strip_prefix("[::1]") {
        Some("") => ("[::1]", ""),
        Some(rest) => ("[::1]", rest.strip_prefix(':').unwrap_or("-")),
        None => authority.split_once(':').unwrap_or((authority, "")),
    };
    port.bytes().all(|b| b.is_ascii_digit())
        && (host.eq_ignore_ascii_case("localhost") || host == "127.0.0.1" || host == "[::1]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3986_3_2_has_host_looks_past_userinfo_and_before_the_port() {
        for authority in [
            "example.com",
            "user@example.com:8443",
            "[::1]:8080",
            "[::1]",
            "a:b@[::1]",
            "u@h:1",
        ] {
            assert!(has_host(authority), "{authority}");
        }
        for authority in ["", "@", "u@", ":8080", "u@:8080", "a@b@:1"] {
            assert!(!has_host(authority), "{authority}");
        }
    }

    #[test]
    fn rfc9700_2_6_loopback_is_an_exact_host_with_a_numeric_port() {
        for ok in [
            "localhost",
            "127.0.0.1:8080",
            "[::1]",
            "[::1]:3000",
            "LOCALHOST:1",
        ] {
            assert!(is_loopback(ok), "{ok}");
        }
        for bad in [
            "localhost.evil.example",
            "127.0.0.2",
            "[::1]x",
            "a@localhost",
            "localhost:x",
        ] {
            assert!(!is_loopback(bad), "{bad}");
        }
    }
    /// The scheme is read to its end and compared without case (RFC 3986 §3.1): case does
    /// not matter, the authority must not be empty, and a longer scheme is not `https`.
    #[test]
    fn rfc3986_3_1_check_url_reads_https_in_any_case_and_other_schemes_to_their_end() {
        use ConfigError::{HasFragment, Insecure, NotAbsolute};
        let check = |url, loopback| check_url(url, Param::Endpoint, loopback);
        for ok in [
            "https://a.example",
            "HTTPS://a.example/?y",
            "hTtPs://[::1]:8443/",
        ] {
            assert_eq!(check(ok, false), Ok(()), "{ok}");
        }
        assert_eq!(check("http://localhost:3000/cb", true), Ok(()));
        let p = Param::Endpoint;
        for (url, err) in [
            ("https:/a.example", NotAbsolute(p)),
            ("https://", NotAbsolute(p)),
            ("https://?q", NotAbsolute(p)),
            ("https://u@/p", NotAbsolute(p)),
            ("httpsx://a.example", Insecure(p)),
            ("http://localhost:3000/cb", Insecure(p)),
            ("https://a.example/#f", HasFragment(p)),
        ] {
            assert_eq!(check(url, false), Err(err), "{url}");
        }
    }

    #[test]
    fn scheme_end_needs_colon_slash_slash() {
        assert_eq!(scheme_end("https://a"), Some(5));
        assert_eq!(scheme_end("urn:x"), None);
        assert_eq!(scheme_end("1http://a"), None);
    }
}

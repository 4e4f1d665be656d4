//! [Project Wycheproof](https://github.com/C2SP/wycheproof) test vectors, run against every
//! signature family the crate verifies: RSASSA-PKCS1-v1_5 (`RS256`, `RS384`, `RS512`),
//! RSASSA-PSS (`PS256`, `PS384`, `PS512`), ECDSA P-256, P-384 and (feature `es512`) P-521
//! in the `R || S` form (`ES256`, `ES384`, `ES512`), Ed25519 (`EdDSA`, `Ed25519`), HMAC (`HS256`, `HS384`, `HS512`), and
//! Wycheproof's JWS and JWK suites (whole compact tokens and keys).
//!
//! Wycheproof is a collection of known-answer and edge-case vectors, each labelled `valid`,
//! `invalid` or `acceptable` and flagged with the weakness it probes. The files in
//! `tests/data/wycheproof/` are unmodified copies from `testvectors_v1/` at commit
//! dac1dd4729fd1f8dd9e1e9f3dce51d783da6c166; they are licensed under the Apache License 2.0
//! (`tests/data/wycheproof/LICENSE`, see also its `README.md`).
//!
//! Every vector gets an expected outcome, and every outcome is asserted (none is skipped):
//! - `valid` must verify;
//! - `invalid` must be refused, whether at key load, when the token is parsed, or by the
//!   signature check;
//! - `acceptable` must get the outcome of the policy below;
//! - vectors whose parameters the crate does not implement ("out of scope": other PSS
//!   parameters, truncated HMAC tags, JSON serialization, and ES512 in a build without
//!   feature `es512`) must be refused;
//! - a few vectors, listed by `tcId` with the reason, are documented differences: the crate's
//!   policy is stricter than the label (or the label is an upstream data error), and the
//!   outcome the crate must give is asserted instead.
//!
//! Policy for `acceptable` vectors, per family (decided from the flags):
//! - RSASSA-PKCS1-v1_5: the only `acceptable` vectors are flagged `MissingNull` (a
//!   `DigestInfo` without the NULL parameters). **Refused**: the crate rebuilds the whole
//!   expected encoding, NULL included (RFC 8017 §9.2 note 1), and compares it byte for byte;
//!   no ASN.1 is parsed.
//! - RSASSA-PSS, ECDSA, Ed25519, HMAC, JWS and JWK: these files hold no `acceptable` vector
//!   at this commit. One appearing in a later version fails its test ("no policy") until its
//!   outcome is decided and recorded in an `acceptable` function here. (ECDSA verifies as
//!   ECDSA is defined, high `S` included; Ed25519 verifies strictly: `S` below the group
//!   order, `R` canonical and not of small order, and a public key that is canonical and not
//!   of small order, else it is refused at key load.)
//!
//! Each test prints one line per file:
//! `file: valid V/V, invalid I/I, acceptable A (accepted a, refused r), out of scope O`,
//! then (when there are any) the vectors refused at key load and the documented
//! differences; it collects every failing `tcId` before asserting, so that one run shows
//! them all. With `WYCHEPROOF_VERBOSE` set, every vector's outcome is printed too.
//!
//! Under Miri these tests are ignored: thousands of RSA and elliptic-curve operations take
//! hours in the interpreter, and no unsafe code of ours runs here (the crate forbids it).
#![cfg(all(
    feature = "rsa",
    feature = "ecdsa",
    feature = "eddsa",
    feature = "hmac"
))]

use std::collections::BTreeMap;
use std::fmt;

use base64ct::{Base64UrlUnpadded, Encoding};
use implicit_grant::jwt::{Compact, Header, decode_header, decode_unverified_claims, scratch_len};
use implicit_grant::verify::{HmacKey, Jwk, Jwks};
use implicit_grant::{Error, JwtError, KeyError, SignatureVerifier};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// `(file name, contents)` of Wycheproof files.
macro_rules! vectors {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("data/wycheproof/", $name)))),*]
    };
}

type Files = &'static [(&'static str, &'static str)];

const PKCS1: Files = vectors!(
    "rsa_signature_2048_sha256_test.json",
    "rsa_signature_2048_sha384_test.json",
    "rsa_signature_2048_sha512_test.json",
    "rsa_signature_3072_sha256_test.json",
    "rsa_signature_3072_sha384_test.json",
    "rsa_signature_3072_sha512_test.json",
    "rsa_signature_4096_sha256_test.json",
    "rsa_signature_4096_sha384_test.json",
    "rsa_signature_4096_sha512_test.json",
);

const PSS: Files = vectors!(
    "rsa_pss_2048_sha256_mgf1_32_test.json",
    "rsa_pss_2048_sha384_mgf1_48_test.json",
    "rsa_pss_3072_sha256_mgf1_32_test.json",
    "rsa_pss_4096_sha256_mgf1_32_test.json",
    "rsa_pss_4096_sha384_mgf1_48_test.json",
    "rsa_pss_4096_sha512_mgf1_64_test.json",
    "rsa_pss_misc_test.json",
);

const ECDSA_P256: Files = vectors!("ecdsa_secp256r1_sha256_p1363_test.json");
const ECDSA_P384: Files = vectors!("ecdsa_secp384r1_sha384_p1363_test.json");
#[cfg(feature = "es512")]
const ECDSA_P521: Files = vectors!("ecdsa_secp521r1_sha512_p1363_test.json");
const ED25519: Files = vectors!("ed25519_test.json");
const HMAC: Files = vectors!(
    "hmac_sha256_test.json",
    "hmac_sha384_test.json",
    "hmac_sha512_test.json",
);
const JWS: Files = vectors!("json_web_signature_test.json");
const JWK: Files = vectors!("json_web_key_test.json");

// ---------------------------------------------------------------------------------------
// The files' shape (only the members read here).

#[derive(Deserialize)]
struct Suite<G> {
    #[serde(rename = "numberOfTests")]
    number_of_tests: usize,
    #[serde(rename = "testGroups")]
    groups: Vec<G>,
}

#[derive(Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Label {
    Valid,
    Invalid,
    Acceptable,
}

/// One vector. Signature files fill `msg` and `sig`, MAC files `key`, `msg` and `tag`, JOSE
/// files `jws`.
#[derive(Deserialize)]
struct Case {
    #[serde(rename = "tcId")]
    id: u64,
    comment: String,
    flags: Vec<String>,
    result: Label,
    #[serde(default)]
    msg: String,
    #[serde(default)]
    sig: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    tag: String,
    #[serde(default)]
    jws: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RsaGroup {
    sha: String,
    public_key: RsaPublicKey,
    /// The same key as a JWK (PKCS#1 files).
    key_jwk: Option<Value>,
    /// The same key as a JWK (PSS files, except `rsa_pss_misc_test.json`).
    public_key_jwk: Option<Value>,
    mgf: Option<String>,
    mgf_sha: Option<String>,
    s_len: Option<usize>,
    tests: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RsaPublicKey {
    modulus: String,
    public_exponent: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EcGroup {
    sha: String,
    public_key: EcPublicKey,
    public_key_jwk: Option<Value>,
    tests: Vec<Case>,
}

#[derive(Deserialize)]
struct EcPublicKey {
    curve: String,
    wx: String,
    wy: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EdGroup {
    public_key: EdPublicKey,
    public_key_jwk: Option<Value>,
    tests: Vec<Case>,
}

#[derive(Deserialize)]
struct EdPublicKey {
    pk: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MacGroup {
    key_size: usize,
    tag_size: usize,
    tests: Vec<Case>,
}

#[derive(Deserialize)]
struct JoseGroup {
    comment: String,
    public: Option<Value>,
    private: Option<Value>,
    tests: Vec<Case>,
}

fn load<G: DeserializeOwned>(file: &str, text: &str) -> Suite<G> {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

// ---------------------------------------------------------------------------------------
// Outcomes and their tally.

/// Why the crate (or, where said, this harness) refused a vector.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Refusal {
    /// The key did not load (`Jwk::rsa`, `Jwk::parse`, `HmacKey::hs256`,
    /// `HmacKey::from_jwk`…): an `Error::Key`, or `HmacKey::from_jwk`'s
    /// `Error::BufferTooSmall`.
    Key(Error),
    /// The compact token, its header or its payload's encoding.
    Token(Error),
    /// The signature segment is not strict base64url (decoded here, as `verify_id_token`
    /// decodes it).
    SignatureEncoding,
    /// No single symmetric key has the token's `kid` (this harness's selection, by the rule
    /// `Jwks` applies to public keys).
    Selection(&'static str),
    /// The signature check itself.
    Verify(Error),
}

impl From<KeyError> for Refusal {
    fn from(e: KeyError) -> Self {
        Self::Key(Error::Key(e))
    }
}

/// A key that did not load (`HmacKey::from_jwk` returns the crate's `Error`).
impl From<Error> for Refusal {
    fn from(e: Error) -> Self {
        Self::Key(e)
    }
}

type Verdict = Result<(), Refusal>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Accept,
    Refuse,
}

impl Expect {
    fn holds(self, verdict: &Verdict) -> bool {
        verdict.is_ok() == (self == Self::Accept)
    }
}

/// How a vector's expected outcome is decided.
#[derive(Clone, Copy, Debug)]
enum Class {
    /// By its label (and, for `acceptable`, the family's policy).
    Labelled,
    /// Parameters the crate does not implement: it must be refused.
    OutOfScope,
    /// A documented difference from the label: this outcome, for this reason.
    Documented(Expect, &'static str),
}

/// The family's policy for `acceptable` vectors, from their flags.
type Policy = fn(&[String]) -> Option<Expect>;

/// No `acceptable` vector is expected in the file: one appearing fails until decided.
fn no_acceptable(_: &[String]) -> Option<Expect> {
    None
}

/// The counts of one file, and its failures.
struct Tally {
    file: &'static str,
    checked: usize,
    valid: (usize, usize),
    invalid: (usize, usize),
    acceptable: usize,
    accepted: usize,
    refused: usize,
    out_of_scope: usize,
    scope_note: &'static str,
    at_key_load: usize,
    documented: BTreeMap<&'static str, Vec<u64>>,
    failures: Vec<String>,
}

impl Tally {
    fn new(file: &'static str) -> Self {
        Self {
            file,
            checked: 0,
            valid: (0, 0),
            invalid: (0, 0),
            acceptable: 0,
            accepted: 0,
            refused: 0,
            out_of_scope: 0,
            scope_note: "",
            at_key_load: 0,
            documented: BTreeMap::new(),
            failures: Vec::new(),
        }
    }

    fn scope_note(mut self, note: &'static str) -> Self {
        self.scope_note = note;
        self
    }

    fn record(&mut self, case: &Case, class: Class, policy: Policy, verdict: Verdict) {
        self.checked += 1;
        if std::env::var_os("WYCHEPROOF_VERBOSE").is_some() {
            println!(
                "  {} tcId {} [{:?}] {:?}: {verdict:?}",
                self.file, case.id, case.result, case.comment
            );
        }
        if matches!(verdict, Err(Refusal::Key(_))) {
            self.at_key_load += 1;
        }
        let expect = match class {
            Class::OutOfScope => {
                self.out_of_scope += 1;
                Some(Expect::Refuse)
            }
            Class::Documented(expect, reason) => {
                self.documented.entry(reason).or_default().push(case.id);
                Some(expect)
            }
            Class::Labelled => match case.result {
                Label::Valid => {
                    self.valid.1 += 1;
                    self.valid.0 += usize::from(verdict.is_ok());
                    Some(Expect::Accept)
                }
                Label::Invalid => {
                    self.invalid.1 += 1;
                    self.invalid.0 += usize::from(verdict.is_err());
                    Some(Expect::Refuse)
                }
                Label::Acceptable => {
                    self.acceptable += 1;
                    if verdict.is_ok() {
                        self.accepted += 1;
                    } else {
                        self.refused += 1;
                    }
                    policy(&case.flags)
                }
            },
        };
        match expect {
            Some(expect) if expect.holds(&verdict) => {}
            Some(expect) => self.fail(case, format!("expected {expect:?}, got {verdict:?}")),
            None => self.fail(case, format!("no policy for these flags; got {verdict:?}")),
        }
    }

    /// Two routes to the same key (a constructor and the file's JWK, a `Jwk` and a `Jwks`,
    /// two names of one algorithm) must agree.
    fn agree(&mut self, case: &Case, what: &str, first: &Verdict, second: &Verdict) {
        if first.is_ok() != second.is_ok() {
            self.fail(case, format!("{what} disagree: {first:?} vs {second:?}"));
        }
    }

    fn fail(&mut self, case: &Case, what: impl fmt::Display) {
        self.failures.push(format!(
            "{} tcId {} [{:?}, flags {:?}] {:?}: {what}",
            self.file, case.id, case.result, case.flags, case.comment
        ));
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: valid {}/{}, invalid {}/{}, acceptable {} (accepted {}, refused {}), out of scope {}",
            self.file,
            self.valid.0,
            self.valid.1,
            self.invalid.0,
            self.invalid.1,
            self.acceptable,
            self.accepted,
            self.refused,
            self.out_of_scope
        )?;
        if self.out_of_scope > 0 && !self.scope_note.is_empty() {
            write!(f, " ({})", self.scope_note)?;
        }
        if self.at_key_load > 0 {
            write!(f, "; refused at key load {}", self.at_key_load)?;
        }
        let documented: usize = self.documented.values().map(Vec::len).sum();
        if documented > 0 {
            write!(f, "; documented differences {documented}")?;
            for (reason, ids) in &self.documented {
                let ids: Vec<String> = ids.iter().map(u64::to_string).collect();
                write!(f, "\n    tcId {}: {reason}", ids.join(", "))?;
            }
        }
        Ok(())
    }
}

/// The failures of all of a test's files.
#[derive(Default)]
struct Report(Vec<String>);

impl Report {
    fn add(&mut self, tally: Tally, number_of_tests: usize) {
        println!("{tally}");
        if tally.checked != number_of_tests {
            self.0.push(format!(
                "{}: {} vectors checked, numberOfTests is {number_of_tests}",
                tally.file, tally.checked
            ));
        }
        self.0.extend(tally.failures);
    }

    fn assert(self) {
        assert!(
            self.0.is_empty(),
            "{} failure(s):\n{}",
            self.0.len(),
            self.0.join("\n")
        );
    }
}

// ---------------------------------------------------------------------------------------
// Helpers.

fn hex(text: &str) -> Vec<u8> {
    assert!(text.len().is_multiple_of(2), "odd hex length: {text}");
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

fn b64(bytes: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(bytes)
}

/// `bytes` without its leading zero octets (Wycheproof writes integers as signed DER does).
fn unsigned(bytes: &[u8]) -> &[u8] {
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    &bytes[zeros..]
}

/// An EC coordinate as `size` big-endian bytes: Wycheproof's may carry a leading zero
/// octet, or be shorter than the field. One too long is passed on as it is.
fn coordinate(text: &str, size: usize) -> Vec<u8> {
    let bytes = unsigned(&hex(text)).to_vec();
    if bytes.len() >= size {
        return bytes;
    }
    let mut padded = vec![0; size - bytes.len()];
    padded.extend_from_slice(&bytes);
    padded
}

/// Verifies `signature` over `message` with `verifier`, under a JOSE header naming `alg`
/// (a `Header` is only made by decoding one).
fn verify_raw(
    verifier: &impl SignatureVerifier,
    alg: &str,
    message: &[u8],
    signature: &[u8],
) -> Verdict {
    let token = format!("{}.e30.AA", b64(format!(r#"{{"alg":"{alg}"}}"#).as_bytes()));
    let mut scratch = [0u8; 64];
    let header = decode_header(&token, &mut scratch).unwrap_or_else(|e| panic!("{alg}: {e:?}"));
    verifier
        .verify(&header, message, signature)
        .map(drop)
        .map_err(Refusal::Verify)
}

/// [`verify_raw`] with a key that may not have loaded.
fn verify_with<V: SignatureVerifier, E: Copy + Into<Refusal>>(
    key: &Result<V, E>,
    alg: &str,
    message: &[u8],
    signature: &[u8],
) -> Verdict {
    match key {
        Ok(key) => verify_raw(key, alg, message, signature),
        Err(e) => Err((*e).into()),
    }
}

/// The key of a Wycheproof RSA group, through `Jwk::rsa`.
fn rsa_key(key: &RsaPublicKey) -> Result<Jwk, KeyError> {
    let (n, e) = (hex(&key.modulus), hex(&key.public_exponent));
    Jwk::rsa(unsigned(&n), unsigned(&e))
}

/// A JWK given by the file, through `Jwk::parse`.
fn parse_jwk(jwk: &Option<Value>) -> Option<Result<Jwk, KeyError>> {
    jwk.as_ref().map(|jwk| Jwk::parse(&jwk.to_string()))
}

// ---------------------------------------------------------------------------------------
// RSASSA-PKCS1-v1_5.

/// `MissingNull` (a `DigestInfo` without its NULL parameters) is refused: see the header.
fn pkcs1_acceptable(flags: &[String]) -> Option<Expect> {
    match flags {
        [flag] if flag == "MissingNull" => Some(Expect::Refuse),
        _ => None,
    }
}

#[test]
// Thousands of RSA/EC operations: hours under Miri, and no unsafe code of ours runs here.
#[cfg_attr(miri, ignore)]
fn rfc7518_3_3_pkcs1() {
    let mut report = Report::default();
    for &(file, text) in PKCS1 {
        let suite: Suite<RsaGroup> = load(file, text);
        let mut tally = Tally::new(file);
        for group in &suite.groups {
            let alg = match group.sha.as_str() {
                "SHA-256" => "RS256",
                "SHA-384" => "RS384",
                "SHA-512" => "RS512",
                other => panic!("{file}: unexpected hash {other}"),
            };
            // The modulus and exponent through `Jwk::rsa`, and the group's JWK (the same
            // key) through `Jwk::parse`: both must give the same outcome.
            let key = rsa_key(&group.public_key);
            let jwk = parse_jwk(&group.key_jwk);
            for case in &group.tests {
                let (msg, sig) = (hex(&case.msg), hex(&case.sig));
                let verdict = verify_with(&key, alg, &msg, &sig);
                if let Some(jwk) = &jwk {
                    let by_jwk = verify_with(jwk, alg, &msg, &sig);
                    tally.agree(case, "Jwk::rsa and keyJwk", &verdict, &by_jwk);
                }
                tally.record(case, Class::Labelled, pkcs1_acceptable, verdict);
            }
        }
        report.add(tally, suite.number_of_tests);
    }
    report.assert();
}

// ---------------------------------------------------------------------------------------
// RSASSA-PSS.

const PS_ALGS: [&str; 3] = ["PS256", "PS384", "PS512"];

#[test]
// Thousands of RSA/EC operations: hours under Miri, and no unsafe code of ours runs here.
#[cfg_attr(miri, ignore)]
fn rfc7518_3_5_pss() {
    let mut report = Report::default();
    for &(file, text) in PSS {
        let suite: Suite<RsaGroup> = load(file, text);
        let mut tally = Tally::new(file).scope_note(
            "other parameters, refused: a hash other than SHA-256/384/512, an MGF1 hash \
             other than the message hash, or a salt not as long as the hash (RFC 7518 §3.5)",
        );
        for group in &suite.groups {
            // RFC 7518 §3.5: MGF1 with the message's hash, and a salt as long as its output.
            let jose = match group.sha.as_str() {
                "SHA-256" => Some(("PS256", 32)),
                "SHA-384" => Some(("PS384", 48)),
                "SHA-512" => Some(("PS512", 64)),
                _ => None,
            };
            let alg = jose
                .filter(|&(_, h_len)| {
                    group.mgf.as_deref() == Some("MGF1")
                        && group.mgf_sha.as_deref() == Some(group.sha.as_str())
                        && group.s_len == Some(h_len)
                })
                .map(|(alg, _)| alg);
            let key = rsa_key(&group.public_key);
            let jwk = parse_jwk(&group.public_key_jwk);
            for case in &group.tests {
                let (msg, sig) = (hex(&case.msg), hex(&case.sig));
                let Some(alg) = alg else {
                    // Other parameters: no PS algorithm may accept the signature.
                    let verdicts = PS_ALGS.map(|alg| verify_with(&key, alg, &msg, &sig));
                    let verdict = verdicts
                        .iter()
                        .copied()
                        .find(Result::is_ok)
                        .unwrap_or(verdicts[0]);
                    tally.record(case, Class::OutOfScope, no_acceptable, verdict);
                    continue;
                };
                let verdict = verify_with(&key, alg, &msg, &sig);
                if let Some(jwk) = &jwk {
                    let by_jwk = verify_with(jwk, alg, &msg, &sig);
                    tally.agree(case, "Jwk::rsa and publicKeyJwk", &verdict, &by_jwk);
                }
                tally.record(case, Class::Labelled, no_acceptable, verdict);
            }
        }
        report.add(tally, suite.number_of_tests);
    }
    report.assert();
}

// ---------------------------------------------------------------------------------------
// ECDSA, R || S (IEEE P1363) signatures only: the JWS form (RFC 7518 §3.4).

type EcKeyFn = fn(&[u8], &[u8]) -> Result<Jwk, KeyError>;

fn ecdsa(files: Files, curve: &str, hash: &str, alg: &str, size: usize, key_of: EcKeyFn) {
    let mut report = Report::default();
    for &(file, text) in files {
        let suite: Suite<EcGroup> = load(file, text);
        let mut tally = Tally::new(file);
        for group in &suite.groups {
            assert_eq!(
                (group.public_key.curve.as_str(), group.sha.as_str()),
                (curve, hash),
                "{file}"
            );
            let (x, y) = (&group.public_key.wx, &group.public_key.wy);
            let key = key_of(&coordinate(x, size), &coordinate(y, size));
            let jwk = parse_jwk(&group.public_key_jwk);
            for case in &group.tests {
                let (msg, sig) = (hex(&case.msg), hex(&case.sig));
                let verdict = verify_with(&key, alg, &msg, &sig);
                if let Some(jwk) = &jwk {
                    let by_jwk = verify_with(jwk, alg, &msg, &sig);
                    tally.agree(case, "coordinates and publicKeyJwk", &verdict, &by_jwk);
                }
                tally.record(case, Class::Labelled, no_acceptable, verdict);
            }
        }
        report.add(tally, suite.number_of_tests);
    }
    report.assert();
}

#[test]
// Thousands of RSA/EC operations: hours under Miri, and no unsafe code of ours runs here.
#[cfg_attr(miri, ignore)]
fn rfc7518_3_4_ecdsa_p256() {
    ecdsa(ECDSA_P256, "secp256r1", "SHA-256", "ES256", 32, Jwk::p256);
}

#[test]
// Thousands of RSA/EC operations: hours under Miri, and no unsafe code of ours runs here.
#[cfg_attr(miri, ignore)]
fn rfc7518_3_4_ecdsa_p384() {
    ecdsa(ECDSA_P384, "secp384r1", "SHA-384", "ES384", 48, Jwk::p384);
}

#[test]
#[cfg(feature = "es512")]
// Thousands of RSA/EC operations: hours under Miri, and no unsafe code of ours runs here.
#[cfg_attr(miri, ignore)]
fn rfc7518_3_4_ecdsa_p521() {
    ecdsa(ECDSA_P521, "secp521r1", "SHA-512", "ES512", 66, Jwk::p521);
}

// ---------------------------------------------------------------------------------------
// Ed25519.

#[test]
// Thousands of RSA/EC operations: hours under Miri, and no unsafe code of ours runs here.
#[cfg_attr(miri, ignore)]
fn rfc8032_5_1_7_ed25519() {
    let mut report = Report::default();
    for &(file, text) in ED25519 {
        let suite: Suite<EdGroup> = load(file, text);
        let mut tally = Tally::new(file);
        for group in &suite.groups {
            let key = Jwk::ed25519(&hex(&group.public_key.pk));
            let jwk = parse_jwk(&group.public_key_jwk);
            for case in &group.tests {
                let (msg, sig) = (hex(&case.msg), hex(&case.sig));
                // RFC 8037 §3.1 `EdDSA` and RFC 9864 §2.2 `Ed25519` name the same check.
                let verdict = verify_with(&key, "EdDSA", &msg, &sig);
                let fully_specified = verify_with(&key, "Ed25519", &msg, &sig);
                tally.agree(case, "EdDSA and Ed25519", &verdict, &fully_specified);
                if let Some(jwk) = &jwk {
                    let by_jwk = verify_with(jwk, "EdDSA", &msg, &sig);
                    tally.agree(case, "Jwk::ed25519 and publicKeyJwk", &verdict, &by_jwk);
                }
                tally.record(case, Class::Labelled, no_acceptable, verdict);
            }
        }
        report.add(tally, suite.number_of_tests);
    }
    report.assert();
}

// ---------------------------------------------------------------------------------------
// HMAC.

type HmacKeyFn = for<'k> fn(&'k [u8]) -> Result<HmacKey<'k>, KeyError>;

/// RFC 7518 §3.2: "A key of the same size as the hash output … or larger MUST be used".
const SHORT_HMAC_KEY: &str = "valid, but the key is shorter than the hash output: refused \
     at key load (RFC 7518 §3.2 requires a key at least as long)";

#[test]
// Thousands of RSA/EC operations: hours under Miri, and no unsafe code of ours runs here.
#[cfg_attr(miri, ignore)]
fn rfc7518_3_2_hmac() {
    let families: [(&str, usize, HmacKeyFn); 3] = [
        ("HS256", 32, |key| HmacKey::hs256(key)),
        ("HS384", 48, |key| HmacKey::hs384(key)),
        ("HS512", 64, |key| HmacKey::hs512(key)),
    ];
    let mut report = Report::default();
    for (&(file, text), (alg, hash_len, key_of)) in HMAC.iter().zip(families) {
        let suite: Suite<MacGroup> = load(file, text);
        let mut tally = Tally::new(file).scope_note(
            "truncated tags, refused: a JWS MAC is the whole HMAC output (RFC 7518 §3.2)",
        );
        for group in &suite.groups {
            let truncated = group.tag_size != hash_len * 8;
            for case in &group.tests {
                let (key, msg, tag) = (hex(&case.key), hex(&case.msg), hex(&case.tag));
                assert_eq!(key.len() * 8, group.key_size, "{file} tcId {}", case.id);
                let verdict = verify_with(&key_of(&key), alg, &msg, &tag);
                // The same secret as a symmetric JWK, through `HmacKey::from_jwk`.
                let jwk = format!(r#"{{"kty":"oct","alg":"{alg}","k":"{}"}}"#, b64(&key));
                let mut buf = [0u8; 128];
                let by_jwk = verify_with(&HmacKey::from_jwk(&jwk, &mut buf), alg, &msg, &tag);
                tally.agree(
                    case,
                    "HmacKey::hs* and HmacKey::from_jwk",
                    &verdict,
                    &by_jwk,
                );
                let class = if truncated {
                    Class::OutOfScope
                } else if key.len() < hash_len && case.result == Label::Valid {
                    Class::Documented(Expect::Refuse, SHORT_HMAC_KEY)
                } else {
                    Class::Labelled
                };
                tally.record(case, class, no_acceptable, verdict);
            }
        }
        report.add(tally, suite.number_of_tests);
    }
    report.assert();
}

// ---------------------------------------------------------------------------------------
// JWS and JWK: whole compact tokens.
//
// A token is checked as `verify_id_token` checks one, minus the claims (Wycheproof's
// payloads are not ID token claims): `Compact::split`, `decode_header` (strict base64url,
// strict JSON, `alg` known and not `none`), the signature segment decoded as strict
// base64url, the payload segment's base64url through `decode_unverified_claims` (only its
// encoding is judged: a payload that is not JSON is fine here), then
// `SignatureVerifier::verify` over the signing input.
//
// Keys are mapped to the crate's API so:
// - A set holding only symmetric keys (`kty: oct`) is a client's shared secrets: each key
//   goes through `HmacKey::from_jwk` (which refuses a key shorter than the hash, an `alg`
//   other than HS256/384/512 such as an AES key's, and a `use` other than `sig`). A lone key
//   is used whatever the token's `kid`, as a configured `HmacKey` is. `HmacKey` is one key:
//   from a set of several, the harness picks the keys whose `kid` is the token's and needs
//   exactly one (the rule `Jwks` applies to public keys), so that refusal is the harness's
//   (`Selection`); the crate loads and verifies. A symmetric key never goes through
//   `Jwk::parse` (asserted: `Unsupported`).
// - A set holding one asymmetric key goes through `Jwk::parse` (a refusal there is "refused
//   at key load"), and through `Jwks::parse` as a one-key set: both must agree.
// - A set holding several keys, one of them asymmetric, is a provider's JWK Set: it goes
//   through `Jwks::parse`, which keeps the public keys only (a public key set never keys an
//   HMAC, RFC 8725 §3.1), and selects by `kid`, `use`, `key_ops`, `alg` and type.
// A key is loaded before any token is seen (configuration time): a set none of whose keys
// loads refuses every token at key load, whatever the token.

/// Refused at key load by the crate, with this error (group comment, error).
const KEY_ERRORS: &[(&str, KeyError)] = &[
    // CVE-2017-15361: the modulus has the ROCA fingerprint.
    ("jws_rsa_roca_key", KeyError::WeakKey),
    // 1024 bits: below RFC 7518 §3.3's 2048.
    ("keysize_too_small", KeyError::WeakKey),
    ("exponentOne", KeyError::InvalidExponent),
    ("invalid_point", KeyError::InvalidPoint),
    // `alg` A256GCM / A256KW: not an HMAC key.
    ("invalid_aes_gcm_key", KeyError::Unsupported),
    ("invalid_aes_kw_key", KeyError::Unsupported),
];

/// The crate checks ID tokens, which always carry claims: `Compact::split` refuses an empty
/// payload (`Malformed`). The signature over it is still checked here (header decoded from
/// the header segment alone) and must verify.
const EMPTY_PAYLOAD: &str = "valid, with an empty payload: Compact::split refuses it (an \
     ID token always has claims); the signature alone is checked too, and verifies";

/// A JWS or JWK vector whose outcome is not its label's (or that is out of scope).
struct Known {
    id: u64,
    /// The vector's comment, to catch a renumbering.
    comment: &'static str,
    class: Class,
}

const KEY_ALG_BOUND: &str = "valid, but the key's `alg` is PS256 and the token's PS384: a \
     key bound to one algorithm verifies no other (RFC 7517 §4.4; RFC 8725 §3.1)";
const NOT_BASE64URL: &str = "labelled valid, but a segment holds '?': RFC 7515 §2 and §7.1 \
     allow no character outside the base64url alphabet (the same file's tcIds 360-371 ask \
     for that refusal)";
const UNKNOWN_KEY_ALG: &str = "valid, but the key's `alg` is `ES521`, which names no \
     algorithm (RFC 7518 §3.4 registers ES512): a key bound to an algorithm the crate does \
     not know is never used (RFC 7517 §4.4); without that `alg` the same key verifies the \
     token (checked)";
/// RFC 7520 §4.3's ES512 token under Wycheproof's P-521 key: out of scope unless the build
/// verifies ES512.
const FIGURE_27: Class = if cfg!(feature = "es512") {
    Class::Documented(Expect::Refuse, UNKNOWN_KEY_ALG)
} else {
    Class::OutOfScope
};
const SAME_AS_357: &str = "labelled invalid, but byte-identical to valid tcId 357 (the \
     malformed padding was lost upstream; C2SP/wycheproof#236): accepted";

const JWS_KNOWN: &[Known] = &[
    Known {
        id: 17,
        comment: "rejectsValidJsonSerialization",
        class: Class::OutOfScope,
    },
    Known {
        id: 347,
        comment: "Figure27",
        class: FIGURE_27,
    },
    Known {
        id: 351,
        comment: "Figure27",
        class: FIGURE_27,
    },
    Known {
        id: 346,
        comment: "Figure20",
        class: Class::Documented(Expect::Refuse, KEY_ALG_BOUND),
    },
    Known {
        id: 350,
        comment: "Figure20",
        class: Class::Documented(Expect::Refuse, KEY_ALG_BOUND),
    },
    Known {
        id: 372,
        comment: "InvalidCharacterInsertedInHeader",
        class: Class::Documented(Expect::Refuse, NOT_BASE64URL),
    },
    Known {
        id: 373,
        comment: "InvalidCharacterInsertedInPayload",
        class: Class::Documented(Expect::Refuse, NOT_BASE64URL),
    },
    Known {
        id: 367,
        comment: "invalidBase64Padding",
        class: Class::Documented(Expect::Accept, SAME_AS_357),
    },
    Known {
        id: 370,
        comment: "invalidBase64PaddingInPayload",
        class: Class::Documented(Expect::Accept, SAME_AS_357),
    },
];

/// Checks `token` as described above, handing the decoded header, the signing input and the
/// decoded signature to `check`.
fn jws_verdict(token: &str, check: impl FnOnce(&Header<'_>, &[u8], &[u8]) -> Verdict) -> Verdict {
    let compact = Compact::split(token).map_err(|e| Refusal::Token(Error::Jwt(e)))?;
    let mut scratch = vec![0u8; scratch_len(token.len())];
    let header = decode_header(token, &mut scratch).map_err(Refusal::Token)?;
    let signature = Base64UrlUnpadded::decode_vec(compact.signature())
        .map_err(|_| Refusal::SignatureEncoding)?;
    let mut claims = vec![0u8; scratch_len(token.len())];
    if let Err(e @ Error::Jwt(JwtError::InvalidBase64Url)) =
        decode_unverified_claims(token, &mut claims)
    {
        return Err(Refusal::Token(e));
    }
    check(&header, compact.signing_input().as_bytes(), &signature)
}

/// The signature of `token` alone, its header decoded from the header segment.
fn signature_only(token: &str, verifier: &impl SignatureVerifier) -> Verdict {
    let (signing_input, signature) = token.rsplit_once('.').unwrap();
    let (header, _) = signing_input.split_once('.').unwrap();
    let mut scratch = vec![0u8; scratch_len(token.len())];
    let header =
        decode_header(&format!("{header}.e30.AA"), &mut scratch).map_err(Refusal::Token)?;
    let signature =
        Base64UrlUnpadded::decode_vec(signature).map_err(|_| Refusal::SignatureEncoding)?;
    verifier
        .verify(&header, signing_input.as_bytes(), &signature)
        .map(drop)
        .map_err(Refusal::Verify)
}

fn verify_jws(verifier: &impl SignatureVerifier, token: &str) -> Verdict {
    jws_verdict(token, |header, input, signature| {
        verifier
            .verify(header, input, signature)
            .map(drop)
            .map_err(Refusal::Verify)
    })
}

/// A group's keys: the public ones if given, else the private ones (symmetric keys, and
/// `jws_mixedSymmetryKeyset`); a single JWK or a JWK Set.
fn group_keys(group: &JoseGroup) -> Vec<Value> {
    let keys = group
        .public
        .as_ref()
        .or(group.private.as_ref())
        .unwrap_or_else(|| panic!("group {} has no key", group.comment));
    match keys.get("keys") {
        Some(Value::Array(set)) => set.clone(),
        _ => vec![keys.clone()],
    }
}

fn is_symmetric(key: &Value) -> bool {
    key.get("kty").and_then(Value::as_str) == Some("oct")
}

/// Checks `token` against the group's keys (mapped as described above); `extra` receives
/// cross-check failures.
fn jose_verdict(keys: &[Value], token: &str, extra: &mut Vec<String>) -> Verdict {
    let set = serde_json::json!({ "keys": keys }).to_string();
    if keys.iter().all(is_symmetric) {
        for key in keys {
            let as_public = Jwk::parse(&key.to_string()).err();
            if as_public != Some(KeyError::Unsupported) {
                extra.push(format!("Jwk::parse of a symmetric key gave {as_public:?}"));
            }
        }
        let jsons: Vec<String> = keys.iter().map(Value::to_string).collect();
        let mut bufs = vec![[0u8; 256]; keys.len()];
        let loaded: Vec<(Option<&str>, Result<HmacKey<'_>, Error>)> = keys
            .iter()
            .zip(&jsons)
            .zip(bufs.iter_mut())
            .map(|((key, json), buf)| {
                let kid = key.get("kid").and_then(Value::as_str);
                (kid, HmacKey::from_jwk(json, buf))
            })
            .collect();
        if let Some((_, Err(e))) = loaded.first()
            && loaded.iter().all(|(_, key)| key.is_err())
        {
            return Err(Refusal::Key(*e));
        }
        return jws_verdict(token, |header, input, signature| {
            // One key is used as the crate's `HmacKey` is, whatever the token's `kid`.
            let single = loaded.len() == 1;
            let mut named = loaded
                .iter()
                .filter(|(kid, _)| single || header.kid.is_none_or(|wanted| *kid == Some(wanted)));
            let (Some((_, key)), None) = (named.next(), named.next()) else {
                return Err(Refusal::Selection(
                    "not exactly one key with the token's kid",
                ));
            };
            let key = (*key).map_err(Refusal::Key)?;
            key.verify(header, input, signature)
                .map(drop)
                .map_err(Refusal::Verify)
        });
    }
    let by_set = match Jwks::parse(&set) {
        Ok(jwks) => verify_jws(&jwks, token),
        Err(e) => Err(e.into()),
    };
    let [key] = keys else {
        return by_set;
    };
    let by_key = match Jwk::parse(&key.to_string()) {
        Ok(jwk) => verify_jws(&jwk, token),
        Err(e) => Err(e.into()),
    };
    if by_key.is_ok() != by_set.is_ok() {
        extra.push(format!(
            "Jwk::parse and Jwks::parse disagree: {by_key:?} vs {by_set:?}"
        ));
    }
    by_key
}

fn jose_file(file: &'static str, text: &str, known: &[Known], report: &mut Report) {
    let suite: Suite<JoseGroup> = load(file, text);
    let mut tally = Tally::new(file).scope_note(if cfg!(feature = "es512") {
        "not applicable, refused: JSON serialization (the crate verifies compact JWS)"
    } else {
        "not applicable, refused: JSON serialization, and ES512 on P-521 (feature \
             `es512` is off): the crate verifies compact JWS with the algorithms it implements"
    });
    let jws_of = |id: u64| {
        suite
            .groups
            .iter()
            .flat_map(|g| &g.tests)
            .find(|case| case.id == id)
            .map(|case| case.jws.as_str())
    };
    for group in &suite.groups {
        let keys = group_keys(group);
        let key_error = KEY_ERRORS
            .iter()
            .find(|(comment, _)| *comment == group.comment)
            .map(|&(_, e)| e);
        for case in &group.tests {
            let mut extra = Vec::new();
            let verdict = jose_verdict(&keys, &case.jws, &mut extra);
            for what in extra {
                tally.fail(case, what);
            }
            if let Some(e) = key_error
                && verdict != Err(Refusal::Key(Error::Key(e)))
            {
                tally.fail(case, format!("expected refusal at key load, {e:?}"));
            }
            let known = known.iter().find(|k| k.id == case.id);
            let class = match known {
                Some(known) => {
                    if known.comment != case.comment {
                        tally.fail(case, format!("table expects comment {:?}", known.comment));
                    }
                    if let Class::Documented(_, SAME_AS_357) = known.class
                        && jws_of(357) != Some(case.jws.as_str())
                    {
                        tally.fail(case, "no longer identical to tcId 357");
                    }
                    if let Class::Documented(_, UNKNOWN_KEY_ALG) = known.class {
                        let [key] = keys.as_slice() else {
                            panic!("tcId {}: one key expected", case.id);
                        };
                        let mut key = key.clone();
                        key.as_object_mut().map(|key| key.remove("alg"));
                        let unbound = Jwk::parse(&key.to_string()).map_err(Refusal::from);
                        let verdict = unbound.and_then(|jwk| verify_jws(&jwk, &case.jws));
                        if verdict.is_err() {
                            tally.fail(case, format!("without the key's alg: {verdict:?}"));
                        }
                    }
                    known.class
                }
                None if case.flags.iter().any(|f| f == "JsonSerialization") => Class::OutOfScope,
                None if case.result == Label::Valid && case.jws.split('.').nth(1) == Some("") => {
                    // An empty payload: the signature alone must verify.
                    let [key] = keys.as_slice() else {
                        panic!("tcId {}: one key expected", case.id);
                    };
                    let alone = match Jwk::parse(&key.to_string()) {
                        Ok(jwk) => signature_only(&case.jws, &jwk),
                        Err(e) => Err(e.into()),
                    };
                    if alone.is_err() {
                        tally.fail(case, format!("signature alone: {alone:?}"));
                    }
                    Class::Documented(Expect::Refuse, EMPTY_PAYLOAD)
                }
                None => Class::Labelled,
            };
            tally.record(case, class, no_acceptable, verdict);
        }
    }
    report.add(tally, suite.number_of_tests);
}

#[test]
// Thousands of RSA/EC operations: hours under Miri, and no unsafe code of ours runs here.
#[cfg_attr(miri, ignore)]
fn jws_jwk() {
    let mut report = Report::default();
    for &(file, text) in JWS {
        jose_file(file, text, JWS_KNOWN, &mut report);
    }
    for &(file, text) in JWK {
        jose_file(file, text, &[], &mut report);
    }
    report.assert();
}

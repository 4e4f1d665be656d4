#!/usr/bin/env python3
"""Generates the benchmark fixture: an Auth0-like login answered by a provider.

Run once; the output is committed so that every run measures the same bytes:
    python3 benches/peers/data/gen_fixture.py   (needs the `cryptography` package)

Keys come from tests/data/keys.json (RSA-2048 "rsa-2048-a", RSA-4096 "rsa-4096", P-256
"p256-a", P-384 "p384-a", Ed25519 "ed25519-a"); signatures are made here by OpenSSL through
`cryptography`. ECDSA signatures are randomized: the committed es256 token predates the
es384 and eddsa ones and was kept when they were added.

Output: fixture.json with
    issuer, client_id, audience, redirect_uri, authorize_endpoint, scope,
    state, nonce            43-char base64url values, as `begin` draws them
    now                     the clock for the crate (iat + 60)
    access_token            an RS256 JWT access token of about 900 bytes
    id_tokens.{rs256_2048, rs256_4096, es256, es384, eddsa}
                            ID tokens with iss, sub, aud, exp, iat, nonce, at_hash, name,
                            email, email_verified, picture and a namespaced roles claim
    fragments.{…}           the redirect fragment carrying each ID token (1.8 to 2.4 KB)
    jwks.{…}                the public JWK Set holding each ID token's key

`exp` is 2100-01-01: the peers read the system clock and cannot be given `now`.
"""
import base64
import hashlib
import json
import pathlib

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

HERE = pathlib.Path(__file__).parent
KEYS = HERE.parent.parent.parent / "tests" / "data" / "keys.json"

ISSUER = "https://dev-k3x9q2.us.auth0.com/"
CLIENT_ID = "Xq7cS2ZpX4WmB9tN1hL8vR3yD6fK0jGa"
AUDIENCE = "https://api.example.com/appointments"
REDIRECT_URI = "https://app.example.com/callback"
SCOPE = "openid profile email"
IAT = 1_790_000_000
EXP = 4_102_444_800
# Derived from fixed strings, so that a regenerated fixture keeps them (ECDSA signatures are
# randomized and do change).
STATE = base64.urlsafe_b64encode(hashlib.sha256(b"fixture state").digest()).rstrip(b"=").decode()
NONCE = base64.urlsafe_b64encode(hashlib.sha256(b"fixture nonce").digest()).rstrip(b"=").decode()


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64u_int(value: str) -> int:
    return int.from_bytes(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)), "big")


def compact(obj: dict) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode()


def rsa_private(jwk: dict) -> rsa.RSAPrivateKey:
    n, e, d, p, q = (b64u_int(jwk[m]) for m in ("n", "e", "d", "p", "q"))
    numbers = rsa.RSAPrivateNumbers(
        p, q, d, rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q), rsa.rsa_crt_iqmp(p, q),
        rsa.RSAPublicNumbers(e, n),
    )
    return numbers.private_key()


CURVES = {"P-256": (ec.SECP256R1(), hashes.SHA256(), 32), "P-384": (ec.SECP384R1(), hashes.SHA384(), 48)}


def ec_private(jwk: dict) -> ec.EllipticCurvePrivateKey:
    return ec.derive_private_key(b64u_int(jwk["d"]), CURVES[jwk["crv"]][0])


def sign(jwk: dict, header: dict, claims: dict) -> str:
    signing_input = f"{b64u(compact(header))}.{b64u(compact(claims))}".encode()
    if jwk["kty"] == "RSA":
        sig = rsa_private(jwk).sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    elif jwk["kty"] == "OKP":
        raw = base64.urlsafe_b64decode(jwk["d"] + "=" * (-len(jwk["d"]) % 4))
        sig = ed25519.Ed25519PrivateKey.from_private_bytes(raw).sign(signing_input)
    else:
        _, digest, size = CURVES[jwk["crv"]]
        der = ec_private(jwk).sign(signing_input, ec.ECDSA(digest))
        r, s = decode_dss_signature(der)
        sig = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    return f"{signing_input.decode()}.{b64u(sig)}"


def public_jwks(jwk: dict) -> str:
    members = {"RSA": ("n", "e"), "EC": ("crv", "x", "y"), "OKP": ("crv", "x")}[jwk["kty"]]
    key = {"kty": jwk["kty"], "use": "sig", "alg": jwk["alg"], "kid": jwk["kid"]}
    key.update({m: jwk[m] for m in members})
    return json.dumps({"keys": [key]}, separators=(",", ":"))


def access_token(key: dict) -> str:
    claims = {
        "iss": ISSUER,
        "sub": "auth0|5f7c8ec7c33c6c004bbafe82",
        "aud": [AUDIENCE, f"{ISSUER}userinfo"],
        "iat": IAT,
        "exp": EXP,
        "scope": SCOPE + " read:appointments write:appointments",
        "azp": CLIENT_ID,
        "permissions": ["read:appointments", "write:appointments"],
    }
    return sign(key, {"alg": "RS256", "typ": "JWT", "kid": key["kid"]}, claims)


def id_token(key: dict, at: str) -> str:
    # OIDC Core §3.2.2.9: the hash of the alg (Ed25519: SHA-512), left half.
    digest = {"ES384": hashlib.sha384, "EdDSA": hashlib.sha512}.get(key["alg"], hashlib.sha256)
    full = digest(at.encode()).digest()
    at_hash = b64u(full[: len(full) // 2])
    claims = {
        "iss": ISSUER,
        "sub": "auth0|5f7c8ec7c33c6c004bbafe82",
        "aud": CLIENT_ID,
        "iat": IAT,
        "exp": EXP,
        "nonce": NONCE,
        "at_hash": at_hash,
        "name": "Jane Doe",
        "picture": "https://s.gravatar.com/avatar/9e7bf0a3f5a0c1cbd2b7a4b8c0f2e5d1?s=480&r=pg",
        "email": "jane.doe@example.com",
        "email_verified": True,
        "https://example.com/roles": ["admin", "scheduler"],
    }
    return sign(key, {"alg": key["alg"], "typ": "JWT", "kid": key["kid"]}, claims)


def fragment(at: str, idt: str) -> str:
    return (
        f"access_token={at}&id_token={idt}&token_type=Bearer&expires_in=7200"
        f"&scope=openid%20profile%20email&state={STATE}"
    )


def main() -> None:
    keys = {k["kid"]: k for k in json.loads(KEYS.read_text())["keys"]}
    signers = {
        "rs256_2048": "rsa-2048-a", "rs256_4096": "rsa-4096", "es256": "p256-a",
        "es384": "p384-a", "eddsa": "ed25519-a",
    }
    at = access_token(keys["rsa-2048-a"])
    id_tokens = {name: id_token(keys[kid], at) for name, kid in signers.items()}
    fixture = {
        "issuer": ISSUER,
        "client_id": CLIENT_ID,
        "audience": AUDIENCE,
        "redirect_uri": REDIRECT_URI,
        "authorize_endpoint": f"{ISSUER}authorize",
        "scope": SCOPE,
        "state": STATE,
        "nonce": NONCE,
        "now": IAT + 60,
        "access_token": at,
        "id_tokens": id_tokens,
        "fragments": {name: fragment(at, t) for name, t in id_tokens.items()},
        "jwks": {name: public_jwks(keys[kid]) for name, kid in signers.items()},
    }
    (HERE / "fixture.json").write_text(json.dumps(fixture, indent=1) + "\n")
    for name, frag in fixture["fragments"].items():
        print(f"{name}: id_token {len(id_tokens[name])} B, fragment {len(frag)} B")
    print(f"access_token {len(at)} B")


if __name__ == "__main__":
    main()

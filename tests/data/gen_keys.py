#!/usr/bin/env python3
"""Generates the test keys and the independently signed tokens in this directory.

Run once; the outputs are committed so that tests never generate keys:
    python3 tests/data/gen_keys.py   (needs the `cryptography` package)

Outputs:
    keys.json    private JWKs (RSA-2048 a/b, RSA-3072, RSA-4096, RSA-1024 weak, RSA-2049 and
                 RSA-3073 (odd sizes), RSA-2048 with e = 3, P-256 a/b)
    jwks.json    the public JWK Set of the signing keys (RSA-2048 a/b, RSA-3072, RSA-4096, P-256 a)
    tokens.json  ID tokens signed here by OpenSSL (through `cryptography`), to cross-check the
                 crate's verifiers against a signer that shares no code with them
"""
import base64
import json
import pathlib

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

HERE = pathlib.Path(__file__).parent


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def uint(n: int, length: int | None = None) -> str:
    length = length or (n.bit_length() + 7) // 8
    return b64u(n.to_bytes(length, "big"))


def rsa_jwk(kid: str, bits: int, e: int = 65537) -> dict:
    key = rsa.generate_private_key(public_exponent=e, key_size=bits)
    p = key.private_numbers()
    return {
        "kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256",
        "n": uint(p.public_numbers.n), "e": uint(p.public_numbers.e),
        "d": uint(p.d), "p": uint(p.p), "q": uint(p.q),
        "dp": uint(p.dmp1), "dq": uint(p.dmq1), "qi": uint(p.iqmp),
    }


def ec_jwk(kid: str) -> dict:
    key = ec.generate_private_key(ec.SECP256R1())
    p = key.private_numbers()
    return {
        "kty": "EC", "kid": kid, "use": "sig", "alg": "ES256", "crv": "P-256",
        "x": uint(p.public_numbers.x, 32), "y": uint(p.public_numbers.y, 32),
        "d": uint(p.private_value, 32),
    }


def public(jwk: dict) -> dict:
    return {k: v for k, v in jwk.items() if k not in ("d", "p", "q", "dp", "dq", "qi")}


def load_rsa(jwk: dict):
    def i(name):
        return int.from_bytes(base64.urlsafe_b64decode(jwk[name] + "=" * (-len(jwk[name]) % 4)), "big")
    pub = rsa.RSAPublicNumbers(i("e"), i("n"))
    return rsa.RSAPrivateNumbers(i("p"), i("q"), i("d"), i("dp"), i("dq"), i("qi"), pub).private_key()


def load_ec(jwk: dict):
    def i(name):
        return int.from_bytes(base64.urlsafe_b64decode(jwk[name] + "=" * (-len(jwk[name]) % 4)), "big")
    return ec.derive_private_key(i("d"), ec.SECP256R1())


def sign(header: dict, claims: dict, jwk: dict) -> str:
    signing_input = (b64u(json.dumps(header, separators=(",", ":")).encode()) + "."
                     + b64u(json.dumps(claims, separators=(",", ":")).encode())).encode()
    if jwk["kty"] == "RSA":
        sig = load_rsa(jwk).sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    else:
        der = load_ec(jwk).sign(signing_input, ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)
        sig = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return signing_input.decode() + "." + b64u(sig)


def main() -> None:
    keys = [
        rsa_jwk("rsa-2048-a", 2048),
        rsa_jwk("rsa-2048-b", 2048),
        rsa_jwk("rsa-3072", 3072),
        rsa_jwk("rsa-4096", 4096),
        rsa_jwk("rsa-1024-weak", 1024),
        rsa_jwk("rsa-2049", 2049),
        rsa_jwk("rsa-3073", 3073),
        rsa_jwk("rsa-2048-e3", 2048, e=3),
        ec_jwk("p256-a"),
        ec_jwk("p256-b"),
    ]
    (HERE / "keys.json").write_text(json.dumps({"keys": keys}, indent=2) + "\n")
    signing = [public(k) for k in keys if k["kid"] in ("rsa-2048-a", "rsa-2048-b", "rsa-3072", "rsa-4096", "p256-a")]
    (HERE / "jwks.json").write_text(json.dumps({"keys": signing}, indent=2) + "\n")

    claims = {
        "iss": "https://op.example.com", "sub": "248289761001", "aud": "s6BhdRkqt3",
        "nonce": "n-0S6_WzA2Mj-n-0S6_WzA2Mj", "exp": 1893456000, "iat": 1764547200,
    }
    by_kid = {k["kid"]: k for k in keys}
    tokens = {}
    for kid in ("rsa-2048-a", "rsa-3072", "rsa-4096", "p256-a"):
        jwk = by_kid[kid]
        tokens[kid] = sign({"alg": jwk["alg"], "kid": kid, "typ": "JWT"}, claims, jwk)
    (HERE / "tokens.json").write_text(json.dumps({"claims": claims, "tokens": tokens}, indent=2) + "\n")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Generates the test keys and the independently signed tokens in this directory.

The outputs are committed so that tests never generate keys:
    python3 tests/data/gen_keys.py   (needs the `cryptography` package)
Keys already in keys.json are kept; only missing ones are generated, and the tokens re-signed.

Outputs:
    keys.json    private JWKs (RSA-2048 a/b, RSA-3072, RSA-4096, RSA-1024 weak, RSA-2049 and
                 RSA-3073 (odd sizes), RSA-2048 with e = 3, P-256 a/b; RSA-2048 bound to PS256,
                 P-384, Ed25519, P-521)
    jwks.json    the public JWK Set of the signing keys (RSA-2048 a/b, RSA-3072, RSA-4096, P-256 a)
    tokens.json  ID tokens signed here by OpenSSL (through `cryptography`), to cross-check the
                 crate's verifiers against a signer that shares no code with them: one per
                 signing key with its own `alg`, and `ALG@kid` entries for PS384, PS512 and
                 Ed25519 (the RFC 9864 name) with keys not bound to them
"""
import base64
import json
import pathlib

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
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


CURVES = {
    "P-256": (ec.SECP256R1(), 32, "ES256"),
    "P-384": (ec.SECP384R1(), 48, "ES384"),
    "P-521": (ec.SECP521R1(), 66, "ES512"),
}


def ec_jwk(kid: str, crv: str = "P-256") -> dict:
    curve, size, alg = CURVES[crv]
    key = ec.generate_private_key(curve)
    p = key.private_numbers()
    return {
        "kty": "EC", "kid": kid, "use": "sig", "alg": alg, "crv": crv,
        "x": uint(p.public_numbers.x, size), "y": uint(p.public_numbers.y, size),
        "d": uint(p.private_value, size),
    }


def ed25519_jwk(kid: str) -> dict:
    key = ed25519.Ed25519PrivateKey.generate()
    raw = key.private_bytes_raw()
    return {
        "kty": "OKP", "kid": kid, "use": "sig", "alg": "EdDSA", "crv": "Ed25519",
        "x": b64u(key.public_key().public_bytes_raw()), "d": b64u(raw),
    }


def public(jwk: dict) -> dict:
    return {k: v for k, v in jwk.items() if k not in ("d", "p", "q", "dp", "dq", "qi")}


def b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def load_rsa(jwk: dict):
    def i(name):
        return int.from_bytes(base64.urlsafe_b64decode(jwk[name] + "=" * (-len(jwk[name]) % 4)), "big")
    pub = rsa.RSAPublicNumbers(i("e"), i("n"))
    return rsa.RSAPrivateNumbers(i("p"), i("q"), i("d"), i("dp"), i("dq"), i("qi"), pub).private_key()


def load_ec(jwk: dict):
    curve, _, _ = CURVES[jwk["crv"]]
    return ec.derive_private_key(int.from_bytes(b64d(jwk["d"]), "big"), curve)


HASHES = {"256": hashes.SHA256(), "384": hashes.SHA384(), "512": hashes.SHA512()}


def sign(header: dict, claims: dict, jwk: dict) -> str:
    """Signs with `header["alg"]`: RS*, PS* (salt as long as the hash, RFC 7518 §3.5),
    ES256, ES384, ES512 (R || S) or EdDSA / Ed25519."""
    signing_input = (b64u(json.dumps(header, separators=(",", ":")).encode()) + "."
                     + b64u(json.dumps(claims, separators=(",", ":")).encode())).encode()
    alg = header["alg"]
    if alg.startswith("RS"):
        sig = load_rsa(jwk).sign(signing_input, padding.PKCS1v15(), HASHES[alg[2:]])
    elif alg.startswith("PS"):
        h = HASHES[alg[2:]]
        pss = padding.PSS(mgf=padding.MGF1(h), salt_length=h.digest_size)
        sig = load_rsa(jwk).sign(signing_input, pss, h)
    elif alg.startswith("ES"):
        der = load_ec(jwk).sign(signing_input, ec.ECDSA(HASHES[alg[2:]]))
        r, s = decode_dss_signature(der)
        size = CURVES[jwk["crv"]][1]
        sig = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    else:
        assert alg in ("EdDSA", "Ed25519")
        sig = ed25519.Ed25519PrivateKey.from_private_bytes(b64d(jwk["d"])).sign(signing_input)
    return signing_input.decode() + "." + b64u(sig)


def main() -> None:
    makers = {
        "rsa-2048-a": lambda kid: rsa_jwk(kid, 2048),
        "rsa-2048-b": lambda kid: rsa_jwk(kid, 2048),
        "rsa-3072": lambda kid: rsa_jwk(kid, 3072),
        "rsa-4096": lambda kid: rsa_jwk(kid, 4096),
        "rsa-1024-weak": lambda kid: rsa_jwk(kid, 1024),
        "rsa-2049": lambda kid: rsa_jwk(kid, 2049),
        "rsa-3073": lambda kid: rsa_jwk(kid, 3073),
        "rsa-2048-e3": lambda kid: rsa_jwk(kid, 2048, e=3),
        "p256-a": ec_jwk,
        "p256-b": ec_jwk,
        "rsa-2048-pss": lambda kid: dict(rsa_jwk(kid, 2048), alg="PS256"),
        "p384-a": lambda kid: ec_jwk(kid, "P-384"),
        "ed25519-a": ed25519_jwk,
        "p521-a": lambda kid: ec_jwk(kid, "P-521"),
    }
    path = HERE / "keys.json"
    existing = {k["kid"]: k for k in json.loads(path.read_text())["keys"]} if path.exists() else {}
    keys = [existing.get(kid) or make(kid) for kid, make in makers.items()]
    (HERE / "keys.json").write_text(json.dumps({"keys": keys}, indent=2) + "\n")
    signing = [public(k) for k in keys if k["kid"] in ("rsa-2048-a", "rsa-2048-b", "rsa-3072", "rsa-4096", "p256-a")]
    (HERE / "jwks.json").write_text(json.dumps({"keys": signing}, indent=2) + "\n")

    claims = {
        "iss": "https://op.example.com", "sub": "248289761001", "aud": "s6BhdRkqt3",
        "nonce": "n-0S6_WzA2Mj-n-0S6_WzA2Mj", "exp": 1893456000, "iat": 1764547200,
    }
    by_kid = {k["kid"]: k for k in keys}
    tokens = {}
    for kid in ("rsa-2048-a", "rsa-3072", "rsa-4096", "p256-a", "rsa-2048-pss", "p384-a", "ed25519-a", "p521-a"):
        jwk = by_kid[kid]
        tokens[kid] = sign({"alg": jwk["alg"], "kid": kid, "typ": "JWT"}, claims, jwk)
    for alg, kid in (("PS384", "rsa-3072"), ("PS512", "rsa-4096"), ("Ed25519", "ed25519-a")):
        tokens[f"{alg}@{kid}"] = sign({"alg": alg, "kid": kid, "typ": "JWT"}, claims, by_kid[kid])
    (HERE / "tokens.json").write_text(json.dumps({"claims": claims, "tokens": tokens}, indent=2) + "\n")


if __name__ == "__main__":
    main()

"""RSA private keys from the repository's JWKs (tests/data/keys.json), as the PEM
django-oidc-provider stores."""
import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def _int(value):
    return int.from_bytes(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)), "big")


def pem(jwk):
    n, e, d, p, q, dp, dq, qi = (_int(jwk[m]) for m in ("n", "e", "d", "p", "q", "dp", "dq", "qi"))
    key = rsa.RSAPrivateNumbers(p, q, d, dp, dq, qi, rsa.RSAPublicNumbers(e, n)).private_key()
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")

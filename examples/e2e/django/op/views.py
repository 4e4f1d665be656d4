"""The project's own parts: the appointments API, key rotation, `sub`, JWKS caching."""
import json
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from oidc_provider.lib.utils.oauth2 import protected_resource_view
from oidc_provider.models import RSAKey

from op.keys import pem

KEYS = json.loads((Path(__file__).parents[4] / "tests" / "data" / "keys.json").read_text())["keys"]


def username_sub(user):
    return user.username


def cacheable_jwks(get_response):
    """Lets browsers and caches keep the JWKS ten minutes, as most providers do (and as
    provider.mjs has oidc-provider do): the page's JWKS can then lag the provider's newest
    key, which is what the rotation scenario needs. django-oidc-provider sends no
    Cache-Control of its own."""

    def middleware(request):
        response = get_response(request)
        if request.path == "/openid/jwks" and response.status_code == 200:
            response["Cache-Control"] = "public, max-age=600"
        return response

    return middleware


def token_cors(get_response):
    """Lets the app's page read the token endpoint's answers (CORS), as a deployment serving
    a browser code client does (with django-cors-headers, say): django-oidc-provider sends
    no CORS header there. The app's POST is a simple request (a form body): no preflight."""

    def middleware(request):
        response = get_response(request)
        if request.path == "/openid/token":
            response["Access-Control-Allow-Origin"] = settings.APP_ORIGIN
        return response

    return middleware


def _cors(response):
    response["Access-Control-Allow-Origin"] = settings.APP_ORIGIN
    response["Access-Control-Allow-Headers"] = "Authorization"
    return response


@protected_resource_view(["openid"])
def _appointments(request, token):
    return JsonResponse(
        {"for": token.user.username, "appointments": [{"when": "2026-12-01T09:30", "with": "Dr. Smith"}]}
    )


@csrf_exempt
def appointments(request):
    """The appointments API: answers only a live access token this provider issued, with
    the `openid` scope (its Token table: the tokens are opaque)."""
    if request.method == "OPTIONS":
        return _cors(HttpResponse(status=204))
    return _cors(_appointments(request))


@csrf_exempt
def rotate(request):
    """`POST /__e2e/rotate?kid=rsa-2048-b` (no browser: a request with an `Origin` is
    refused): the provider signs with that key of tests/data/keys.json (rsa-2048-a or -b)
    from then on, keeping the previous ones in its JWKS. django-oidc-provider signs with its
    first key by id, so the others are re-added after it, in one transaction (runserver is
    threaded: an authorization in between must not find the table empty)."""
    kid = request.GET.get("kid", "")
    if request.method != "POST" or "HTTP_ORIGIN" in request.META:
        return HttpResponse(status=403)
    jwk = next((k for k in KEYS if k["kid"] == kid and kid in ("rsa-2048-a", "rsa-2048-b")), None)
    if jwk is None:
        return HttpResponse("unknown kid", status=400)
    new = pem(jwk)
    with transaction.atomic():
        older = [k.key for k in RSAKey.objects.all() if k.key != new]
        RSAKey.objects.all().delete()
        for key in [new, *older]:
            RSAKey.objects.create(key=key)
        kids = [k.kid for k in RSAKey.objects.all()]
    print(f"provider now signs RS256 with {kid} ({kids[0]}); JWKS: {', '.join(kids)}", flush=True)
    return JsonResponse({"rsa": kids})

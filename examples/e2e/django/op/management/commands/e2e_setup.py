"""The provider's fixture: users jane and john, the app's public implicit client and its
public code client (PKCE), and the RSA key rsa-2048-a of tests/data/keys.json.
Usage: manage.py e2e_setup"""
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from oidc_provider.models import Client, ResponseType, RSAKey

from op.keys import pem
from op.views import KEYS

PASSWORD = "e2e password"


class Command(BaseCommand):
    help = "Creates the e2e users, client and signing key."

    def handle(self, *args, **options):
        for name in ("jane", "john"):
            User.objects.create_user(name, f"{name}@example.com", PASSWORD, first_name=name.title())
        client = Client.objects.create(
            name="Appointments",
            client_type="public",
            client_id="spa-rs256",
            jwt_alg="RS256",
            redirect_uris=[f"{settings.APP_ORIGIN}/callback"],
            post_logout_redirect_uris=[f"{settings.APP_ORIGIN}/signed-out"],
            # Asked once per user, then remembered: the consent page the denial scenario
            # declines, and that prompt=none must not need again.
            require_consent=True,
            reuse_consent=True,
            scope=["openid", "profile", "email"],
        )
        client.response_types.set(ResponseType.objects.filter(value__in=["id_token token", "id_token"]))
        # The code flow's client: the same, with `code` (PKCE is checked when the request
        # carried a challenge; refresh tokens come with every code).
        code = Client.objects.create(
            name="Appointments (code)",
            client_type="public",
            client_id="spa-code",
            jwt_alg="RS256",
            redirect_uris=[f"{settings.APP_ORIGIN}/callback"],
            post_logout_redirect_uris=[f"{settings.APP_ORIGIN}/signed-out"],
            require_consent=True,
            reuse_consent=True,
            scope=["openid", "profile", "email"],
        )
        code.response_types.set(ResponseType.objects.filter(value="code"))
        RSAKey.objects.create(key=pem(next(k for k in KEYS if k["kid"] == "rsa-2048-a")))
        self.stdout.write("e2e fixture: jane, john, spa-rs256, spa-code, rsa-2048-a")

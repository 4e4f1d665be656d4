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
        # The implicit client, and the code flow's: PKCE is checked when the request
        # carried a challenge; refresh tokens come with every code.
        for client_id, name, response_types in (
            ("spa-rs256", "Appointments", ["id_token token", "id_token"]),
            ("spa-code", "Appointments (code)", ["code"]),
        ):
            client = Client.objects.create(
                name=name,
                client_type="public",
                client_id=client_id,
                jwt_alg="RS256",
                redirect_uris=[f"{settings.APP_ORIGIN}/callback"],
                post_logout_redirect_uris=[f"{settings.APP_ORIGIN}/signed-out"],
                # Asked once per user, then remembered: the consent page the denial scenario
                # declines, and that prompt=none must not need again (for the implicit
                # client: a public code client is asked every time).
                require_consent=True,
                reuse_consent=True,
                scope=["openid", "profile", "email"],
            )
            client.response_types.set(ResponseType.objects.filter(value__in=response_types))
        RSAKey.objects.create(key=pem(next(k for k in KEYS if k["kid"] == "rsa-2048-a")))
        self.stdout.write("e2e fixture: jane, john, spa-rs256, spa-code, rsa-2048-a")

"""django-oidc-provider as a second OpenID Provider for the browser scenarios.

On 127.0.0.1:$E2E_OP_PORT, with a SQLite database at $E2E_DB, for the app at
127.0.0.1:$E2E_APP_PORT. The provider is mounted at /openid, as its documentation does,
so its issuer has a path: http://127.0.0.1:PORT/openid.
"""
import os

OP_PORT = int(os.environ["E2E_OP_PORT"])
APP_ORIGIN = f"http://127.0.0.1:{int(os.environ['E2E_APP_PORT'])}"

SECRET_KEY = "implicit-grant-e2e-only-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "op.urls"
USE_TZ = True

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oidc_provider",
    "op",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "op.views.cacheable_jwks",
    "op.views.token_cors",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ]
        },
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["E2E_DB"]}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
LOGIN_URL = "/accounts/login/"
# Both providers run on 127.0.0.1, and browsers do not separate cookies by port.
SESSION_COOKIE_NAME = "dop_session"
CSRF_COOKIE_NAME = "dop_csrftoken"

SITE_URL = f"http://127.0.0.1:{OP_PORT}"
# `sub` is the username (the default is the database id), so that the scenarios read the
# same "signed in as jane" with both providers.
OIDC_IDTOKEN_SUB_GENERATOR = "op.views.username_sub"
# Session Management 1.0: its `session_state` comes back in every fragment, a response
# parameter the client does not know and must ignore (RFC 6749 §4.2.2).
OIDC_SESSION_MANAGEMENT_ENABLE = True

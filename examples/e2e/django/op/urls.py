from django.contrib.auth import views as auth
from django.urls import include, path

from op import views

urlpatterns = [
    path("openid/", include("oidc_provider.urls", namespace="oidc_provider")),
    path("accounts/login/", auth.LoginView.as_view(), name="login"),
    path("api/appointments", views.appointments),
    path("__e2e/rotate", views.rotate),
]

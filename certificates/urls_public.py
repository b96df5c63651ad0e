from django.urls import path

from . import views_public

app_name = "certificates_public"

urlpatterns = [
    path("verify/", views_public.verify_form, name="verify_form"),
    path("verify/<str:code>/", views_public.verify, name="verify"),
    # Before <code>: a code is never the word "revocations" (codes are 22 random characters).
    path("api/v1/certificates/revocations", views_public.revocations, name="revocations"),
    path("api/v1/certificates/<str:code>", views_public.verify_json, name="verify_json"),
]

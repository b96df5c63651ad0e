from django.urls import path

from . import views_keys

urlpatterns = [
    path(
        ".well-known/certificate-keys.json",
        views_keys.public_keys,
        name="certificate-keys",
    ),
]

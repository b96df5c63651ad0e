from django.urls import path

from . import views_public

app_name = "compliance_public"

urlpatterns = [
    path("outlets/<str:code>/", views_public.outlet, name="outlet"),
    path(
        "api/v1/outlets/<str:code>/status", views_public.outlet_status_api, name="outlet_status_api"
    ),
    path("compliance/outlets/<str:code>/poster.pdf", views_public.poster, name="poster"),
]

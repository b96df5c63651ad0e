from django.urls import path

from .views import exports, public, reports

app_name = "compliance"

urlpatterns = [
    path("compliance/", reports.overview, name="overview"),
    path("compliance/outlets/<str:code>/", reports.outlet, name="outlet"),
    path("compliance/outlets/<str:code>/poster.pdf", public.poster, name="poster"),
    path("compliance/exports/", exports.export_start, name="export_start"),
    path("compliance/exports/<int:job_id>/", exports.export_job, name="export_job"),
    path(
        "compliance/exports/<int:job_id>/status.json", exports.export_status, name="export_status"
    ),
    path(
        "compliance/exports/<int:job_id>/download/",
        exports.export_download,
        name="export_download",
    ),
    # What a customer reads at the counter: the outlet's public status, without signing in.
    path("outlets/<str:code>/", public.outlet, name="public_outlet"),
    path("api/v1/outlets/<str:code>/status", public.outlet_status_api, name="outlet_status_api"),
]

from django.urls import path

from . import views_exports

app_name = "compliance_exports"

urlpatterns = [
    path("", views_exports.export_start, name="start"),
    path("<int:job_id>/", views_exports.export_job, name="job"),
    path("<int:job_id>/status.json", views_exports.export_status, name="status"),
    path("<int:job_id>/download/", views_exports.export_download, name="download"),
]

from django.urls import path

from .views import desk, keys, mine, public

app_name = "certificates"

urlpatterns = [
    path(".well-known/certificate-keys.json", keys.public_keys, name="certificate-keys"),
    path("verify/", public.verify_form, name="verify_form"),
    path("verify/<str:code>/", public.verify, name="verify"),
    # Before <code>: a code is never the word "revocations" (codes are 22 random characters).
    path("api/v1/certificates/revocations", public.revocations, name="revocations"),
    path("api/v1/certificates/<str:code>", public.verify_json, name="verify_json"),
    path("my/certificates/", mine.my_certificates, name="my_certificates"),
    path("my/certificates/<str:serial>.pdf", mine.certificate_pdf_download, name="certificate_pdf"),
    path(
        "training/outlets/<str:code>/certificates.zip",
        mine.outlet_certificates_zip,
        name="outlet_zip",
    ),
    path("certificates/desk/", desk.desk, name="desk"),
    # Before <serial>: a serial is never the word "bulk-suspend".
    path("certificates/desk/bulk-suspend/", desk.bulk_suspend, name="bulk_suspend"),
    path(
        "certificates/desk/bulk-suspend/<int:job_id>/",
        desk.bulk_suspension,
        name="bulk_suspension",
    ),
    path(
        "certificates/desk/bulk-suspend/<int:job_id>/status/",
        desk.bulk_suspension_status,
        name="bulk_suspension_status",
    ),
    path("certificates/desk/<str:serial>/", desk.certificate_detail, name="desk_detail"),
    path(
        "certificates/desk/<str:serial>/<slug:action>/",
        desk.certificate_action,
        name="desk_action",
    ),
]

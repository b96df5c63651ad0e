from django.urls import path

from . import views_mine

app_name = "certificates_mine"

urlpatterns = [
    path("my/certificates/", views_mine.my_certificates, name="my_certificates"),
    path(
        "my/certificates/<str:serial>.pdf",
        views_mine.certificate_pdf_download,
        name="certificate_pdf",
    ),
    path(
        "training/outlets/<str:code>/certificates.zip",
        views_mine.outlet_certificates_zip,
        name="outlet_zip",
    ),
]

from django.urls import path  # noqa: F401

app_name = "quality"

urlpatterns = []

# Field audits ---------------------------------------------------------------------------------

urlpatterns += []


# Customer satisfaction ------------------------------------------------------------------------

urlpatterns += []

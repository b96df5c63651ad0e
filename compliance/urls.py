from django.urls import path

from . import views

app_name = "compliance"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("outlets/<str:code>/", views.outlet, name="outlet"),
]

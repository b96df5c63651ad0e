from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("outlets/", views.outlet_list, name="outlet_list"),
    path("outlets/<str:code>/", views.outlet_detail, name="outlet_detail"),
    path("outlets/<str:code>/staff.csv", views.staff_export, name="outlet_staff_export"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/export.csv", views.staff_export, name="staff_export"),
    path("staff/<str:employee_number>/", views.staff_detail, name="staff_detail"),
]

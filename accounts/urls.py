from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("activate/", views.activate_by_code, name="activate_by_code"),
    path("activate/password/", views.activate_password, name="activate_password"),
    path("activate/<str:token>/", views.activate, name="activate"),
    path("reset/", views.reset, name="reset"),
    path("reset/code/", views.reset_code, name="reset_code"),
    path("people/<str:employee_number>/issue/", views.issue, name="issue"),
    path("people/<str:employee_number>/unlock/", views.unlock, name="unlock"),
    path("people/<str:employee_number>/sessions/end/", views.end_sessions, name="end_sessions"),
    path("outlets/<str:code>/activation/", views.outlet_activation, name="outlet_activation"),
    path("outlets/<str:code>/activation-slips/", views.outlet_slips, name="outlet_slips"),
]

from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("my/", views.my_training, name="my_training"),
    path("my/team/", views.my_team, name="my_team"),
    path("my/lessons/<int:lesson_id>/complete/", views.lesson_complete, name="lesson_complete"),
    path("training/outlets/<str:code>/", views.outlet_training, name="outlet_training"),
    path("training/outlets/<str:code>/assign/", views.assign, name="assign"),
    path("training/enrollments/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]

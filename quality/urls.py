from django.urls import path  # noqa: F401

app_name = "quality"

urlpatterns = []

# Field audits ---------------------------------------------------------------------------------

urlpatterns += []


# Customer satisfaction ------------------------------------------------------------------------

from .views import surveys  # noqa: E402

urlpatterns += [
    # What a customer answers at the counter, from the public outlet page, without signing in.
    path("outlets/<str:code>/survey/", surveys.survey, name="survey"),
    path("outlets/<str:code>/survey/thanks/", surveys.survey_thanks, name="survey_thanks"),
    path("quality/satisfaction/", surveys.satisfaction, name="satisfaction"),
]

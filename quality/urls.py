from django.urls import path  # noqa: F401

from .views import audits as audit_views

app_name = "quality"

urlpatterns = []

# Field audits ---------------------------------------------------------------------------------

urlpatterns += [
    path("quality/audits/", audit_views.audit_list, name="audit_list"),
    path("quality/audits/start/", audit_views.audit_start, name="audit_start"),
    path("quality/audits/<int:pk>/", audit_views.audit_detail, name="audit_detail"),
    path(
        "quality/audits/<int:pk>/items/<int:item_id>/",
        audit_views.audit_item_record,
        name="audit_item_record",
    ),
    path(
        "quality/audits/<int:pk>/evidence/",
        audit_views.audit_evidence_add,
        name="audit_evidence_add",
    ),
    path("quality/audits/<int:pk>/submit/", audit_views.audit_submit, name="audit_submit"),
    path(
        "quality/audits/<int:pk>/findings/<int:finding_id>/recheck/",
        audit_views.finding_recheck,
        name="finding_recheck",
    ),
    path("quality/audit-evidence/<int:pk>/", audit_views.evidence_file, name="audit_evidence_file"),
    path("quality/findings/", audit_views.finding_list, name="finding_list"),
    path("quality/findings/<int:pk>/", audit_views.finding_detail, name="finding_detail"),
]


# Customer satisfaction ------------------------------------------------------------------------

from .views import surveys  # noqa: E402

urlpatterns += [
    # What a customer answers at the counter, from the public outlet page, without signing in.
    path("outlets/<str:code>/survey/", surveys.survey, name="survey"),
    path("outlets/<str:code>/survey/thanks/", surveys.survey_thanks, name="survey_thanks"),
    path("quality/satisfaction/", surveys.satisfaction, name="satisfaction"),
]


# The quality view -----------------------------------------------------------------------------

from .views import overview  # noqa: E402

urlpatterns += [
    path("quality/", overview.quality_overview, name="overview"),
]

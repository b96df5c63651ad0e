from .views import attempts, practicals

app_name = "assessments"

urlpatterns = [*attempts.urlpatterns, *practicals.urlpatterns]

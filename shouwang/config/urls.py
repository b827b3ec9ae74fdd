from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("shouwang.web.urls")),
    path("children/", include("shouwang.registry.urls")),
    path("", include("shouwang.cases.urls")),
    path("children/", include("shouwang.rules.urls")),
    path("assessments/", include("shouwang.assessments.urls")),
    path("safeguarding/", include("shouwang.safeguarding.urls")),
    path("notifications/", include("shouwang.notifications.urls")),
    path("imports/", include("shouwang.imports.urls")),
    path("duplicates/", include("shouwang.duplicates.urls")),
    path("", include("shouwang.fuc.urls")),
    path("services/", include("shouwang.services.urls")),
    path("referrals/", include("shouwang.referrals.urls")),
    path("resources/", include("shouwang.resources.urls")),
    path("matching/", include("shouwang.matching.urls")),
    path("insights/", include("shouwang.insights.urls")),
]

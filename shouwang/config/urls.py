from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("shouwang.web.urls")),
    path("children/", include("shouwang.registry.urls")),
    path("children/", include("shouwang.cases.urls")),
    path("children/", include("shouwang.rules.urls")),
    path("", include("shouwang.fuc.urls")),
]

from django.urls import include, path

from shouwang.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("children/", views.drilldown, name="drilldown"),
    path("", include("shouwang.insights.urls_report")),
]

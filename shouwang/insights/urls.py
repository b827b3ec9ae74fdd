from django.urls import include, path

app_name = "insights"
urlpatterns: list = [
    path("", include("shouwang.insights.urls_report")),
]

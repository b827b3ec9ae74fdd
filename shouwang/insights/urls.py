from django.urls import path

from shouwang.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("children/", views.drilldown, name="drilldown"),
]

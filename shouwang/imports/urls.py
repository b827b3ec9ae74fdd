from django.urls import path

from shouwang.imports import views

app_name = "imports"
urlpatterns = [
    path("census/", views.census_home, name="census_home"),
    path("census/template/", views.census_template, name="template"),
    path("census/export/", views.registry_export, name="export"),
    path("census/<str:public_id>/", views.census_preview, name="preview"),
    path("census/<str:public_id>/errors.xlsx", views.census_report, name="report"),
    path("census/<str:public_id>/progress/", views.census_progress, name="progress"),
]

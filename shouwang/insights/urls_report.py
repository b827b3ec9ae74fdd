"""The diagnostic report and the exports (included by ``insights.urls``)."""

from django.urls import path

from shouwang.insights import exports_views, report_views

urlpatterns = [
    path("report/", report_views.report_page, name="report"),
    path("report/pdf/", report_views.report_pdf, name="report_pdf"),
    path("exports/", exports_views.exports_home, name="exports"),
    path("exports/indicators.xlsx", exports_views.export_indicators, name="export_indicators"),
    path(
        "exports/deidentified.xlsx", exports_views.export_deidentified, name="export_deidentified"
    ),
]

"""FUC URLs, mounted at the site root (config/urls.py) because they span two prefixes:
``fuc/...`` for applications and ``children/<id>/fuc/apply/`` for applying from a child."""

from django.urls import path

from shouwang.fuc import views

app_name = "fuc"
urlpatterns = [
    path("fuc/queue/", views.queue, name="queue"),
    path("fuc/<str:public_id>/", views.application_detail, name="application_detail"),
    path("fuc/<str:public_id>/verify/", views.application_verify, name="verify"),
    path("fuc/<str:public_id>/return/", views.application_return, name="return"),
    path("fuc/<str:public_id>/confirm/", views.application_confirm, name="confirm"),
    path("fuc/<str:public_id>/reject/", views.application_reject, name="reject"),
    path("fuc/<str:public_id>/terminate/", views.application_terminate, name="terminate"),
    path("children/<str:public_id>/fuc/apply/", views.application_create, name="apply"),
]

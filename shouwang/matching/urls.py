from django.urls import path

from shouwang.matching import views

app_name = "matching"
urlpatterns = [
    path("", views.home, name="home"),
    path("run/", views.run_new, name="run_new"),
    path("raise-needs/", views.needs_raise, name="needs_raise"),
    path("runs/<str:public_id>/", views.run_detail, name="run_detail"),
    path("runs/<str:public_id>/decide/", views.decide, name="decide"),
    path("runs/<str:public_id>/accept-all/", views.accept_all, name="accept_all"),
]

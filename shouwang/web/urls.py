from django.urls import path

from shouwang.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("i18n/setlang/", views.set_language, name="set_language"),
]

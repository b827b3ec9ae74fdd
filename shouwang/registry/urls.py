from django.urls import path

from shouwang.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.child_list, name="child_list"),
    path("register/", views.child_register, name="child_register"),
    path("<str:public_id>/", views.child_detail, name="child_detail"),
    path("<str:public_id>/edit/", views.child_edit, name="child_edit"),
]

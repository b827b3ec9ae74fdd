from django.urls import path

from shouwang.cases import views

app_name = "cases"
urlpatterns = [
    path("<str:public_id>/contacts/", views.contact_create, name="contact_create"),
]

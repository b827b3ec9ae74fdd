from django.urls import path

from shouwang.rules import views

app_name = "rules"
urlpatterns = [
    path(
        "<str:public_id>/classifications/<int:pk>/decide/",
        views.classification_decide,
        name="decide",
    ),
]

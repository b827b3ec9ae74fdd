from django.urls import path

from shouwang.services import views

app_name = "services"
urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/new/", views.type_new, name="type_new"),
    path("catalogue/<int:pk>/", views.type_edit, name="type_edit"),
    path("catalogue/<int:pk>/delete/", views.type_delete, name="type_delete"),
    path("offers/", views.offers, name="offers"),
    path("offers/new/", views.offer_new, name="offer_new"),
    path("offers/<str:public_id>/", views.offer_edit, name="offer_edit"),
    path("children/<str:public_id>/deliveries/new/", views.delivery_new, name="delivery_new"),
    path("children/<str:public_id>/needs/new/", views.need_new, name="need_new"),
    path("activities/", views.activities, name="activities"),
    path("activities/new/", views.activity_new, name="activity_new"),
    path("activities/<str:public_id>/", views.attendance, name="attendance"),
    path(
        "activities/<str:public_id>/children/<str:child_id>/",
        views.attendance_tap,
        name="attendance_tap",
    ),
    path("mix/", views.welfare_mix, name="mix"),
]

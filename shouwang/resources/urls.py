from django.urls import path

from shouwang.resources import views

app_name = "resources"
urlpatterns = [
    path("", views.volunteer_list, name="volunteer_list"),
    path("volunteers/new/", views.volunteer_new, name="volunteer_new"),
    path("volunteers/<str:public_id>/", views.volunteer_detail, name="volunteer_detail"),
    path("volunteers/<str:public_id>/edit/", views.volunteer_edit, name="volunteer_edit"),
    path("funds/", views.fund_list, name="fund_list"),
    path("funds/new/", views.fund_new, name="fund_new"),
    path("funds/<str:public_id>/", views.fund_detail, name="fund_detail"),
    path("material/", views.donation_list, name="donation_list"),
    path("material/new/", views.donation_new, name="donation_new"),
    path("material/<str:public_id>/", views.donation_detail, name="donation_detail"),
]

from django.urls import path

from shouwang.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("inbox/", views.inbox, name="inbox"),
    path("child/<str:public_id>/new/", views.referral_new, name="new"),
    path("<str:public_id>/", views.referral_detail, name="detail"),
    path("<str:public_id>/accept/", views.referral_accept, name="accept"),
    path("<str:public_id>/decline/", views.referral_decline, name="decline"),
    path("<str:public_id>/complete/", views.referral_complete, name="complete"),
    path("<str:public_id>/withdraw/", views.referral_withdraw, name="withdraw"),
    path("<str:public_id>/deliveries/", views.referral_deliver, name="deliver"),
]

from django.urls import path

from shouwang.safeguarding import views

app_name = "safeguarding"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("mine/", views.mine, name="mine"),
    path("report/new/", views.report_new, name="report_new"),
    path("<str:public_id>/", views.report_detail, name="report_detail"),
    path("<str:public_id>/police/", views.police_record, name="police"),
    path("<str:public_id>/acknowledge/", views.report_acknowledge, name="acknowledge"),
    path("<str:public_id>/respond/", views.report_respond, name="respond"),
    path("<str:public_id>/close/", views.report_close, name="close"),
]

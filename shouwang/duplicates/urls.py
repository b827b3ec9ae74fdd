from django.urls import path

from shouwang.duplicates import views

app_name = "duplicates"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.pair_detail, name="pair"),
    path("<int:pk>/decide/", views.pair_decide, name="decide"),
    path("<int:pk>/merge/", views.pair_merge, name="merge"),
    path("<int:pk>/unmerge/", views.pair_unmerge, name="unmerge"),
]

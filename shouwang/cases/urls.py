from django.urls import path

from shouwang.cases import views

app_name = "cases"
urlpatterns = [
    path("cases/today/", views.worklist, name="worklist"),
    path("cases/board/", views.town_board, name="board"),
    path("children/<str:public_id>/contacts/", views.contact_create, name="contact_create"),
    path("children/<str:public_id>/visits/new/", views.visit_create, name="visit_create"),
    path("children/<str:public_id>/case/", views.case_edit, name="case_edit"),
    path("children/<str:public_id>/plan/", views.plan_edit, name="plan_edit"),
    path("children/<str:public_id>/plan/approve/", views.plan_approve, name="plan_approve"),
    path(
        "children/<str:public_id>/plan/actions/<int:pk>/done/",
        views.action_done,
        name="action_done",
    ),
]

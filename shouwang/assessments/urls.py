"""Assessment URLs, mounted at ``assessments/`` (config/urls.py).

Ids are ``<str:public_id>`` (not ``<uuid:...>``) so that a malformed id gets the choke point's
404 like any other unknown id, and the URL walk (tests/test_url_access.py) can fill them in.
"""

from django.urls import path

from shouwang.assessments import views

app_name = "assessments"
urlpatterns = [
    path("child/<str:public_id>/new/", views.assessment_new, name="new"),
    path("<str:public_id>/", views.assessment_detail, name="detail"),
    path("<str:public_id>/approve/", views.assessment_approve, name="approve"),
    path("<str:public_id>/return/", views.assessment_return, name="return"),
]

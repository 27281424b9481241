from django.urls import path

from tip.programmes import views
from tip.programmes.urls_assessment import urlpatterns as assessment_patterns
from tip.programmes.urls_details import urlpatterns as details_patterns
from tip.programmes.urls_exports import urlpatterns as exports_patterns
from tip.programmes.urls_interchange import urlpatterns as interchange_patterns
from tip.programmes.urls_readiness import urlpatterns as readiness_patterns

app_name = "programmes"

urlpatterns = [
    path("", views.programme_list, name="programme-list"),
    path("new/", views.programme_create, name="programme-create"),
    path("<int:programme_id>/", views.programme_detail, name="programme-detail"),
    path("<int:programme_id>/elements/new/", views.element_create, name="element-create"),
    path("<int:programme_id>/outcomes/library/", views.outcome_library, name="outcome-library"),
    path(
        "<int:programme_id>/elements/<int:element_id>/edit/",
        views.element_edit,
        name="element-edit",
    ),
    path(
        "<int:programme_id>/elements/<int:element_id>/remove/",
        views.element_delete,
        name="element-delete",
    ),
    path(
        "<int:programme_id>/elements/<int:element_id>/notes/new/",
        views.element_note_create,
        name="element-note-create",
    ),
    path(
        "<int:programme_id>/elements/<int:element_id>/indicators/new/",
        views.indicator_create,
        name="indicator-create",
    ),
    path("<int:programme_id>/links/new/", views.link_create, name="link-create"),
    path("<int:programme_id>/links/<int:link_id>/remove/", views.link_delete, name="link-delete"),
    path(
        "<int:programme_id>/links/<int:link_id>/notes/new/",
        views.link_note_create,
        name="link-note-create",
    ),
    path("<int:programme_id>/notes/<int:note_id>/remove/", views.note_delete, name="note-delete"),
    path(
        "<int:programme_id>/indicators/<int:indicator_id>/remove/",
        views.indicator_delete,
        name="indicator-delete",
    ),
    path("<int:programme_id>/questions/", views.question_list, name="question-list"),
    path(
        "<int:programme_id>/questions/<str:proposal_key>/",
        views.question_decide,
        name="question-decide",
    ),
]
urlpatterns += interchange_patterns
urlpatterns += exports_patterns
urlpatterns += details_patterns
urlpatterns += assessment_patterns
urlpatterns += readiness_patterns

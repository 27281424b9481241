"""The qualitative coding pages' addresses (included from urls.py, in the evaluation namespace).
A text is named by its key: ``r<response id>.<instrument id>.<item id>`` or ``o<observation
id>`` (selectors_coding)."""

from django.urls import path

from tip.evaluation import views_coding as views

urlpatterns = [
    path("programmes/<int:programme_id>/coding/", views.codebook, name="coding-codebook"),
    path(
        "programmes/<int:programme_id>/coding/codes/new/",
        views.code_create,
        name="coding-code-create",
    ),
    path("coding/codes/<int:code_id>/", views.code_edit, name="coding-code-edit"),
    path("coding/codes/<int:code_id>/retire/", views.code_retire, name="coding-code-retire"),
    path("programmes/<int:programme_id>/coding/texts/", views.texts, name="coding-texts"),
    path(
        "programmes/<int:programme_id>/coding/texts/<str:text_key>/",
        views.text_code,
        name="coding-text",
    ),
    path("programmes/<int:programme_id>/coding/sample/", views.sample, name="coding-sample"),
    path(
        "programmes/<int:programme_id>/coding/agreement/",
        views.agreement,
        name="coding-agreement",
    ),
    path("programmes/<int:programme_id>/coding/themes/", views.themes, name="coding-themes"),
    path("programmes/<int:programme_id>/coding/quotes.csv", views.quotes, name="coding-quotes"),
]

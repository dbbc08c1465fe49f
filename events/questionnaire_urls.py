from django.urls import path

from events import questionnaire_views as views

app_name = "questionnaires"

urlpatterns = [
    path("", views.questionnaire_list, name="list"),
    path("new", views.questionnaire_new, name="new"),
    path("from-template", views.questionnaire_from_template, name="from_template"),
    path("<int:pk>/", views.builder, name="builder"),
    path("<int:pk>/settings", views.settings_save, name="settings"),
    path("<int:pk>/status", views.status_change, name="status"),
    path("<int:pk>/sections", views.section_add, name="section_add"),
    path("<int:pk>/sections/<int:section_id>", views.section_edit, name="section_edit"),
    path("<int:pk>/sections/<int:section_id>/move", views.section_move, name="section_move"),
    path("<int:pk>/sections/<int:section_id>/remove", views.section_remove, name="section_remove"),
    path("<int:pk>/sections/<int:section_id>/questions", views.question_add, name="question_add"),
    path("<int:pk>/questions/<int:question_id>", views.question_edit, name="question_edit"),
    path("<int:pk>/questions/<int:question_id>/move", views.question_move, name="question_move"),
    path("<int:pk>/questions/<int:question_id>/remove", views.question_remove, name="question_remove"),
]

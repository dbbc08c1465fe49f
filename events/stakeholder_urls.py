from django.urls import path

from events import stakeholder_views as views

app_name = "stakeholders"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("add", views.stakeholder_add, name="add"),
    path("import", views.stakeholder_import, name="import"),
    path("export.csv", views.export_csv, name="export"),
    path("coverage", views.coverage, name="coverage"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/contacts", views.contact_add, name="contact_add"),
    path("<int:pk>/interactions", views.interaction_add, name="interaction_add"),
    path("<int:pk>/follow-ups", views.follow_up_add, name="follow_up_add"),
    path("<int:pk>/follow-ups/<int:follow_up>/done", views.follow_up_done, name="follow_up_done"),
    path("<int:pk>/edit", views.stakeholder_edit, name="edit"),
    path("<int:pk>/delete", views.stakeholder_delete, name="delete"),
    path("<int:pk>/contacts/<int:contact>/edit", views.contact_edit, name="contact_edit"),
    path("<int:pk>/contacts/<int:contact>/remove", views.contact_remove, name="contact_remove"),
    path("<int:pk>/interactions/<int:interaction>/edit", views.interaction_edit, name="interaction_edit"),
    path("<int:pk>/interactions/<int:interaction>/delete", views.interaction_delete, name="interaction_delete"),
    path("<int:pk>/follow-ups/<int:follow_up>/edit", views.follow_up_edit, name="follow_up_edit"),
    path("<int:pk>/follow-ups/<int:follow_up>/reopen", views.follow_up_reopen, name="follow_up_reopen"),
]

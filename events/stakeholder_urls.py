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
]

from django.urls import path

from events import action_views, minutes_views
from events import programme_views as views

app_name = "programmes"

urlpatterns = [
    path("minutes/session/<int:pk>/", minutes_views.minutes_page, {"kind": "session"}, name="session_minutes"),
    path("minutes/meeting/<int:pk>/", minutes_views.minutes_page, {"kind": "meeting"}, name="meeting_minutes"),
    path("actions/<int:pk>/", action_views.action_page, name="action"),
    path("<slug:slug>/", views.programme_detail, name="detail"),
    path("<slug:slug>/roadmap", views.roadmap, name="roadmap"),
    path("<slug:slug>/roadmap.pdf", views.roadmap_pdf, name="roadmap_pdf"),
    path("<slug:slug>/roadmap.csv", views.roadmap_csv, name="roadmap_csv"),
]

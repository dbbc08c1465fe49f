"""Pages of live operations (see events/live_views.py)."""

from django.urls import path

from events import live_views

app_name = "live"

urlpatterns = [
    path("events/<slug:slug>/control", live_views.control, name="control"),
    path("events/<slug:slug>/control/arrivals", live_views.control_arrivals, name="control_arrivals"),
    path("events/<slug:slug>/screen", live_views.screen, name="screen"),
    path("me/day", live_views.my_day, name="my_day"),
]

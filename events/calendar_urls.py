from django.urls import path

from events import feeds

app_name = "calendar"

urlpatterns = [
    path("events/<slug:slug>.ics", feeds.event_feed, name="event"),
    path("events/<slug:slug>/tracks/<str:track_slug>.ics", feeds.track_feed, name="track"),
    path("events/<slug:slug>/rooms/<int:room_id>.ics", feeds.room_feed, name="room"),
    path("feeds/rotate/", feeds.rotate, name="rotate"),
    path("feeds/<str:token>.ics", feeds.personal_feed, name="personal"),
]

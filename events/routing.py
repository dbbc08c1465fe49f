from django.urls import path

from events.consumers import ControlConsumer, DashboardConsumer, MyDayConsumer, ScreenConsumer
from events.programme_consumers import RoadmapConsumer

websocket_urlpatterns = [
    path("ws/events/<slug:slug>/dashboard/", DashboardConsumer.as_asgi()),
    path("ws/events/<slug:slug>/control/", ControlConsumer.as_asgi()),
    path("ws/events/<slug:slug>/screen/", ScreenConsumer.as_asgi()),
    path("ws/me/day/", MyDayConsumer.as_asgi()),
    path("ws/programmes/<slug:slug>/roadmap/", RoadmapConsumer.as_asgi()),
]

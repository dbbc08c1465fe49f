from django.urls import path

from events.consumers import DashboardConsumer

websocket_urlpatterns = [
    path("ws/events/<slug:slug>/dashboard/", DashboardConsumer.as_asgi()),
]

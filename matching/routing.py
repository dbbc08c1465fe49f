from django.urls import path

from matching.consumers import BoardConsumer, MeConsumer

websocket_urlpatterns = [
    path("ws/matching/<slug:slug>/board/", BoardConsumer.as_asgi()),
    path("ws/matching/me/", MeConsumer.as_asgi()),
]

"""Every WebSocket route, gathered from the apps that own the streams."""

from events.routing import websocket_urlpatterns as events_ws

websocket_urlpatterns = [*events_ws]

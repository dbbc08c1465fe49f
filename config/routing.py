"""Every WebSocket route, gathered from the apps that own the streams."""

from checkin.routing import websocket_urlpatterns as checkin_ws
from events.routing import websocket_urlpatterns as events_ws
from matching.routing import websocket_urlpatterns as matching_ws

websocket_urlpatterns = [*events_ws, *checkin_ws, *matching_ws]

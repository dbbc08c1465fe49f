from django.urls import re_path

from checkin.consumers import GateConsumer

websocket_urlpatterns = [
    re_path(r"^ws/checkin/(?P<slug>[-a-zA-Z0-9_]+)/gate/(?P<gate>[\w .\-]{1,40})/$", GateConsumer.as_asgi()),
]

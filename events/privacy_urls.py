from django.urls import path

from events import privacy_views

app_name = "privacy"

urlpatterns = [
    path("", privacy_views.privacy_page, name="page"),
    path("data.json", privacy_views.privacy_data, name="data"),
    path("consents/<int:pk>/withdraw/", privacy_views.privacy_withdraw, name="withdraw"),
    path("erase/", privacy_views.privacy_erase, name="erase"),
]

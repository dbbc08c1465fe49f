from django.contrib.auth import views as auth_views
from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("events/<slug:slug>/", views.event_detail, name="detail"),
    path("events/<slug:slug>/register/", views.register, name="register"),
    path("events/<slug:slug>/registered/", views.registered, name="registered"),
    path("me/", views.me, name="me"),
    path("me/sign-out/", views.sign_out, name="sign_out"),
    # Where LOGIN_URL points: attendees learn about their emailed link, staff sign in with a password.
    path(
        "me/sign-in/",
        auth_views.LoginView.as_view(template_name="registration/login.html", redirect_authenticated_user=True),
        name="sign_in",
    ),
    path("me/link/<str:token>/", views.magic_link, name="magic"),
    path("me/finish/<str:token>/", views.registration_offer, name="registration_offer"),
    path("me/registrations/<int:pk>/sessions/<int:session_id>/", views.programme_change, name="programme"),
    path("me/registrations/<int:pk>/", views.my_registration, name="my_registration"),
    path("me/registrations/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("me/registrations/<int:pk>/respond/", views.respond, name="respond"),
]

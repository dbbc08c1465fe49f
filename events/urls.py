from django.urls import path

from events import offline_views, signin_views, views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("events/<slug:slug>/", views.event_detail, name="detail"),
    path("events/<slug:slug>/register/", views.register, name="register"),
    path("events/<slug:slug>/registered/", views.registered, name="registered"),
    path("me/", views.me, name="me"),
    path("me/sign-out/", views.sign_out, name="sign_out"),
    # Where LOGIN_URL points: attendees learn about their emailed link, staff sign in with a password.
    path("me/sign-in/", signin_views.SignInView.as_view(), name="sign_in"),
    path("me/email-my-link/", signin_views.my_link_request, name="my_link_request"),
    path("events/<slug:slug>/email-my-link/", signin_views.my_link_request, name="my_link_request_event"),
    path("me/link/<str:token>/", views.magic_link, name="magic"),
    path("me/finish/<str:token>/", views.registration_offer, name="registration_offer"),
    path("me/registrations/<int:pk>/", views.my_registration, name="my_registration"),
    path("me/registrations/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("me/registrations/<int:pk>/respond/", views.respond, name="respond"),
    path("me/registrations/<int:pk>/sessions/<int:session_id>/", views.programme_change, name="programme"),
    path("sw.js", offline_views.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline_views.manifest, name="manifest"),
]

from django.urls import path

from events import questionnaire_answer_views as views

app_name = "questionnaire_answer"

urlpatterns = [
    path("<str:token>/", views.answer, name="answer"),
    path("<str:token>/opened", views.opened, name="opened"),
    path("<str:token>/save", views.save, name="save"),
    path("<str:token>/submit", views.submit, name="submit"),
]

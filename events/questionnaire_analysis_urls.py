from django.urls import path

from events import questionnaire_analysis_views as views

app_name = "questionnaire_analysis"

urlpatterns = [
    path("<int:pk>/summary", views.summary_page, name="summary"),
    path("<int:pk>/answers.csv", views.answers_csv, name="answers_csv"),
]

from django.urls import path

from matching import indicator_views as views

app_name = "indicators"

# Mounted at /programmes/<slug>/indicators (config/urls.py), next to the programme's roadmap.
urlpatterns = [
    path("", views.indicators_page, name="page"),
    path(".csv", views.indicators_csv, name="csv"),
    path(".pdf", views.indicators_pdf, name="pdf"),
]

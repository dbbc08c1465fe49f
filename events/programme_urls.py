from django.urls import path

from events import programme_views as views

app_name = "programmes"

urlpatterns = [
    path("<slug:slug>/", views.programme_detail, name="detail"),
    path("<slug:slug>/roadmap", views.roadmap, name="roadmap"),
    path("<slug:slug>/roadmap.pdf", views.roadmap_pdf, name="roadmap_pdf"),
    path("<slug:slug>/roadmap.csv", views.roadmap_csv, name="roadmap_csv"),
]

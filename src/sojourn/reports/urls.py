from django.urls import path

from sojourn.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("non-returns/", views.non_returns_page, name="non_returns"),
    path("non-returns/chart.svg", views.non_returns_chart, name="non_returns_chart"),
    path("non-returns/list/", views.non_returns_list, name="non_returns_list"),
    path("overdue/", views.overdue, name="overdue"),
]

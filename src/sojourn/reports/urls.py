from django.urls import path

from sojourn.reports import views, views_naked, views_stats

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("non-returns/", views.non_returns_page, name="non_returns"),
    path("non-returns/chart.svg", views.non_returns_chart, name="non_returns_chart"),
    path("non-returns/list/", views.non_returns_list, name="non_returns_list"),
    path("overdue/", views.overdue, name="overdue"),
    path("naked-officials/", views_naked.naked_page, name="naked_officials"),
    path("naked-officials/chart.svg", views_naked.naked_chart, name="naked_officials_chart"),
    path("naked-officials/list/", views_naked.naked_list, name="naked_officials_list"),
    path("families-abroad/", views_stats.families_page, name="families_abroad"),
    path("families-abroad/chart.svg", views_stats.families_chart, name="families_abroad_chart"),
    path("families-abroad/list/", views_stats.families_list, name="families_abroad_list"),
    path("findings/", views_stats.findings_page, name="findings_report"),
    path("findings/chart.svg", views_stats.findings_chart, name="findings_report_chart"),
    path("findings/list/", views_stats.findings_list, name="findings_report_list"),
]

from django.urls import path

from sojourn.alerts import views

app_name = "alerts"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.finding_detail, name="finding"),
    path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:pk>/dismiss/", views.dismiss, name="dismiss"),
]

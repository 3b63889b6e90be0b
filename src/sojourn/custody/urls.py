from django.urls import path

from sojourn.custody import views

app_name = "custody"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("intake/", views.intake, name="intake"),
    path("<int:pk>/", views.document_detail, name="document"),
    path("<int:pk>/checkout/", views.checkout, name="checkout"),
    path("<int:pk>/return/", views.return_view, name="return"),
    path("<int:pk>/lost/", views.lost, name="lost"),
]

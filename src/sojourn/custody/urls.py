from django.urls import path

from sojourn.custody import views

app_name = "custody"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("intake/", views.intake, name="intake"),
    path("<int:document_id>/", views.document_detail, name="document"),
    path("<int:document_id>/checkout/", views.checkout, name="checkout"),
    path("<int:document_id>/return/", views.return_view, name="return"),
    path("<int:document_id>/lost/", views.lost, name="lost"),
    path("<int:document_id>/cancel/", views.cancel, name="cancel"),
    path("<int:document_id>/renew/", views.renew, name="renew"),
]

from django.urls import path

from sojourn.resolution import views

app_name = "resolution"
urlpatterns = [
    path("", views.index, name="index"),
    path("pairs/<int:pair_id>/", views.pair, name="pair"),
    path("pairs/<int:pair_id>/judge/", views.judge, name="judge"),
]

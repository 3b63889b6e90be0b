from django.urls import path

from sojourn.screening import views

app_name = "screening"
urlpatterns = [
    path("review/", views.review, name="review"),
    path("review/<int:pk>/", views.judge, name="judge"),
]

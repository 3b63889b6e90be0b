from django.urls import path

from sojourn.travel import views

app_name = "travel"
urlpatterns = [
    path("", views.trip_list, name="trips"),
    path("new/", views.trip_new, name="new"),
    path("queue/", views.queue, name="queue"),
    path("<str:trip_id>/", views.trip_detail, name="trip"),
    path("<str:trip_id>/approve/", views.approve, name="approve"),
    path("<str:trip_id>/reject/", views.reject, name="reject"),
    path("<str:trip_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<str:trip_id>/lift-hold/", views.lift_hold, name="lift_hold"),
    path("<str:trip_id>/confirm-hold/", views.confirm_hold, name="confirm_hold"),
]

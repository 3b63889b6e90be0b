from django.urls import path

from sojourn.declarations import views

app_name = "declarations"
urlpatterns = [
    path("", views.declaration_list, name="list"),
    path("new/", views.declaration_new, name="new"),
    path("verification/", views.verification_home, name="verification"),
    path("verifications/<int:verification_id>/", views.verification_detail, name="verification_detail"),
    path("verifications/<int:verification_id>/sign-off/", views.sign_off, name="sign_off"),
    path("<int:declaration_id>/", views.declaration_detail, name="detail"),
    path("<int:declaration_id>/edit/", views.declaration_edit, name="edit"),
    path("<int:declaration_id>/correct/", views.correct, name="correct"),
    path("<int:declaration_id>/verify/", views.verify, name="verify"),
]

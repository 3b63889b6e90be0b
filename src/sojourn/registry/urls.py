from django.urls import path

from sojourn.registry import views

app_name = "registry"
urlpatterns = [
    path("units/", views.unit_tree, name="units"),
    path("officials/", views.official_list, name="officials"),
    path("officials/<str:official_id>/", views.official_detail, name="official"),
    path("relatives/<str:relative_id>/", views.relative_detail, name="relative"),
    path("import/", views.import_file, name="import"),
]

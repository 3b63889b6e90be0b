from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from sojourn.api import api
from sojourn.interop.api import yente_api
from sojourn.web import views as web_views
from sojourn.web.static_files import serve_static

urlpatterns = [
    path("", web_views.home, name="home"),
    path("healthz", web_views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("registry/", include("sojourn.registry.urls")),
    path("findings/", include("sojourn.alerts.urls")),
    path("documents/", include("sojourn.custody.urls")),
    path("trips/", include("sojourn.travel.urls")),
    path("declarations/", include("sojourn.declarations.urls")),
    path("screening/", include("sojourn.screening.urls")),
    path("reports/", include("sojourn.reports.urls")),
    path("resolution/", include("sojourn.resolution.urls")),
    path("audit/", include("sojourn.audit.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    re_path(r"^static/(?P<path>.+)$", serve_static, name="static"),
    # yente clients call /match/{dataset}, /algorithms, /catalog, /entities/{id} on a base URL.
    path("", yente_api.urls),
]

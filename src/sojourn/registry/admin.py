from django.contrib import admin

from sojourn.registry.models import Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # generic only under django-stubs
    list_display = ["code", "name", "parent", "region"]
    search_fields = ["code", "name"]
    readonly_fields = ["path"]

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sojourn.registry.models import OfficialStatus, Rank, Unit

REGISTRY_KINDS = [("units", _("units")), ("officials", _("officials")), ("relatives", _("relatives")),
                  ("posts", _("post changes")), ("duties", _("countries of duties")),
                  ("documents", _("documents"))]


class OfficialSearchForm(forms.Form):
    q = forms.CharField(label=_("Name, ID or official ID"), required=False, max_length=100)
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    rank = forms.ChoiceField(label=_("Rank"), required=False, choices=[("", "—"), *Rank.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", "—"), *OfficialStatus.choices])

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(u.code, f"{'· ' * u.depth}{u.name}") for u in units.only("code", "name", "path")[:2000]]
        self.fields["unit"].choices = choices  # type: ignore[attr-defined]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=REGISTRY_KINDS)
    file = forms.FileField(label=_("CSV or XLSX file"))
    dry_run = forms.BooleanField(label=_("Validate only"), required=False)

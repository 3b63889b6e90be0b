"""Query-string forms of the report pages: ``?from=&to=&as_of=&by=`` (and ``group``, ``status`` for drill-downs)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from sojourn.reports.nonreturns import BY_CHOICES, STATUS_LABELS, Params, Window, holiday_window
from sojourn.web.dates import default_as_of

BY_LABELS = {"unit": _("unit"), "rank": _("rank"), "destination": _("destination"), "port": _("port")}


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))


class NonReturnsForm(forms.Form):
    """The report's parameters; missing ones default to the holiday window and the as-of date."""

    def __init__(self, query: QueryDict, *, drill_down: bool = False) -> None:
        as_of = default_as_of()
        window = holiday_window(as_of)
        data = query.copy()
        for key, value in (("from", window.start), ("to", window.end), ("as_of", as_of), ("by", "unit")):
            if not data.get(key):
                data[key] = value.isoformat() if isinstance(value, date) else value
        super().__init__(data)
        # "from" is a keyword in Python, so the fields are named here rather than declared.
        self.fields["from"] = _date_field(_("Left from"))
        self.fields["to"] = _date_field(_("Left until"))
        self.fields["as_of"] = _date_field(_("As of"))
        self.fields["by"] = forms.ChoiceField(label=_("Group by"), choices=[(b, BY_LABELS[b]) for b in BY_CHOICES])
        if drill_down:
            self.fields["group"] = forms.CharField(required=False, max_length=200)
            self.fields["status"] = forms.ChoiceField(
                required=False, choices=[("", "")] + [(s.value, label) for s, label in STATUS_LABELS.items()])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            raise forms.ValidationError(_("The window starts after it ends."))
        return data

    def params(self) -> Params:
        """The parameters of a valid form."""
        data = self.cleaned_data
        return Params(window=Window(data["from"], data["to"]), as_of=data["as_of"], by=data["by"])


class AsOfForm(forms.Form):
    as_of = _date_field(_("As of"))

    def __init__(self, query: QueryDict) -> None:
        data = query.copy()
        if not data.get("as_of"):
            data["as_of"] = default_as_of().isoformat()
        super().__init__(data)

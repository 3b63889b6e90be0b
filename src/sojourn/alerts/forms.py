from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sojourn.alerts.models import FindingStatus
from sojourn.core.rules import ALL_RULES, Severity
from sojourn.registry.models import Unit


class InboxFilterForm(forms.Form):
    severity = forms.ChoiceField(label=_("Severity"), required=False,
                                 choices=[("", "—")] + [(s.label, s.label) for s in reversed(Severity)])
    code = forms.ChoiceField(label=_("Rule"), required=False,
                             choices=[("", "—")] + [(r.code, r.code) for r in ALL_RULES])
    unit_code = forms.ChoiceField(label=_("Unit"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", "—"), *FindingStatus.choices])

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit_code"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (u.code, u.name) for u in units.only("code", "name")[:2000]
        ]


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("Reason (why this is a false positive)"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=2000)

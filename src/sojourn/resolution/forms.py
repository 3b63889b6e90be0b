"""Forms of link review."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sojourn.resolution.models import Verdict
from sojourn.resolution.services import CODES

REVIEW_CHOICES = [("", _("any")), ("pending", _("awaiting review")), ("confirmed", _("confirmed")),
                  ("rejected", _("rejected"))]


class PairFilterForm(forms.Form):
    code = forms.ChoiceField(label=_("Finding"), required=False, choices=[("", _("any")), *((c, c) for c in CODES)])
    review = forms.ChoiceField(label=_("Review"), required=False, choices=REVIEW_CHOICES)


class LinkJudgementForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Verdict"), choices=Verdict.choices)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("verdict") == Verdict.REJECTED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("A rejection needs a reason."))
        return data

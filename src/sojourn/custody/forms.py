from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sojourn.custody.models import CustodyState, DocStatus, DocType

DATE = forms.DateInput(attrs={"type": "date"})


class IntakeForm(forms.Form):
    official_id = forms.CharField(label=_("Official ID"), max_length=32)
    mrz = forms.CharField(label=_("MRZ (paste both lines)"), required=False,
                          widget=forms.Textarea(attrs={"rows": 3, "cols": 46, "class": "mono"}))
    doc_type = forms.ChoiceField(label=_("Document type"), choices=DocType.choices)
    issuer = forms.CharField(label=_("Issuer"), max_length=3, initial="CHN")
    number = forms.CharField(label=_("Number"), max_length=20, required=False)
    issue_date = forms.DateField(label=_("Issue date"), required=False, widget=DATE)
    expiry_date = forms.DateField(label=_("Expiry date"), required=False, widget=DATE)
    accept_problems = forms.BooleanField(label=_("Take in despite the problems shown"), required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("mrz") and not data.get("number"):
            raise forms.ValidationError(_("Give the MRZ or the document number."))
        return data


class CheckoutForm(forms.Form):
    due_back = forms.DateField(label=_("Due back"), widget=DATE)
    trip_ref = forms.CharField(label=_("Approved trip"), max_length=32, required=False)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=[("private", _("private")), ("official", _("official"))])


class LossForm(forms.Form):
    note = forms.CharField(label=_("How and where it was lost"), widget=forms.Textarea(attrs={"rows": 2}))


class CancelForm(forms.Form):
    note = forms.CharField(label=_("Cancelled by whom, and why"), widget=forms.Textarea(attrs={"rows": 2}))


class RenewForm(forms.Form):
    number = forms.CharField(label=_("New number"), max_length=20)
    issue_date = forms.DateField(label=_("Issue date"), widget=DATE)
    expiry_date = forms.DateField(label=_("Expiry date"), required=False, widget=DATE)
    mrz = forms.CharField(label=_("New MRZ"), required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "mono"}))


class DeskFilterForm(forms.Form):
    q = forms.CharField(label=_("Number, official ID or name"), required=False)
    state = forms.ChoiceField(label=_("Custody"), required=False, choices=[("", "—"), *CustodyState.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", "—"), *DocStatus.choices])
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sojourn.custody.models import TravelDocument
from sojourn.registry.models import Official
from sojourn.travel.models import TripPurpose, TripStatus

DATE = forms.DateInput(attrs={"type": "date"})


# The generic parameter is for the type checker only: the class is not subscriptable at run time.
class DocumentChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: TravelDocument) -> str:
        expiry = f" · {_('expires')} {obj.expiry_date:%Y-%m-%d}" if obj.expiry_date else ""
        return f"{obj.get_doc_type_display()} {obj.issuer} {obj.number} · {obj.get_custody_display()}{expiry}"


class ChooseOfficialForm(forms.Form):
    official = forms.ChoiceField(label=_("Official"))

    def __init__(self, *args: object, officials: QuerySet[Official], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = [(o.official_id, f"{o.official_id} {o.display_name}") for o in officials.order_by("official_id")]
        self.fields["official"].choices = choices  # type: ignore[attr-defined]


class TripRequestForm(forms.Form):
    official = forms.CharField(widget=forms.HiddenInput)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=TripPurpose.choices)
    destinations = forms.CharField(label=_("Destinations (ISO codes, separated by ;)"), max_length=200,
                                   widget=forms.TextInput(attrs={"placeholder": "HKG;MAC"}))
    depart_date = forms.DateField(label=_("Departure"), widget=DATE)
    return_date = forms.DateField(label=_("Return"), widget=DATE)
    documents = DocumentChoice(label=_("Documents"), queryset=TravelDocument.objects.none(),
                               widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: object, documents: QuerySet[TravelDocument], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["documents"].queryset = documents  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TripFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", "—"), *TripStatus.choices])
    official = forms.CharField(label=_("Official ID"), required=False)

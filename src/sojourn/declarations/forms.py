from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sojourn.declarations.models import DeclarationKind, DeclarationStatus, ItemKind
from sojourn.registry.models import Official, Relative

DATE = forms.DateInput(attrs={"type": "date"})


class ChooseOfficialForm(forms.Form):
    official = forms.ChoiceField(label=_("Official"))

    def __init__(self, *args: Any, officials: QuerySet[Official], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(o.official_id, f"{o.official_id} {o.display_name}") for o in officials.order_by("official_id")]
        self.fields["official"].choices = choices  # type: ignore[attr-defined]


class DeclarationForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    kind = forms.ChoiceField(label=_("Kind"), choices=DeclarationKind.choices, initial=DeclarationKind.ANNUAL)


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Item"), choices=[("", "—"), *ItemKind.choices], required=False)
    relative = forms.ChoiceField(label=_("Relative"), required=False)
    country = forms.CharField(label=_("Country"), max_length=3, required=False,
                              widget=forms.TextInput(attrs={"size": 4, "placeholder": "CAN"}))
    number = forms.CharField(label=_("Document number"), max_length=32, required=False)
    from_date = forms.DateField(label=_("From"), required=False, widget=DATE)
    to_date = forms.DateField(label=_("To"), required=False, widget=DATE)
    area = forms.DecimalField(label=_("Area (m²)"), max_digits=10, decimal_places=2, min_value=0, required=False)
    amount = forms.DecimalField(label=_("Amount"), max_digits=16, decimal_places=2, min_value=0, required=False)
    currency = forms.CharField(label=_("Currency"), max_length=3, required=False, widget=forms.TextInput(attrs={"size": 4}))
    text = forms.CharField(label=_("Text"), max_length=500, required=False)

    def __init__(self, *args: Any, relatives: QuerySet[Relative] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(r.relative_id, f"{r.relative_id} {r.display_name} ({r.get_relationship_display()})")
                   for r in (relatives if relatives is not None else Relative.objects.none())]
        self.fields["relative"].choices = [("", "—"), *choices]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.has_changed() and not data.get("kind"):
            self.add_error("kind", _("Choose the item."))
        return data


ItemFormSet = forms.formset_factory(ItemForm, extra=4)


def item_rows(formset: Any) -> list[dict[str, Any]]:
    """The filled rows of a valid formset as service items."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or not data.get("kind"):
            continue
        rows.append({"kind": data["kind"], "relative_id": data.get("relative") or None,
                     **{f: data.get(f) for f in ("country", "number", "from_date", "to_date", "area", "amount",
                                                 "currency", "text")}})
    return rows


class DeclarationFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", "—"), *DeclarationStatus.choices])
    official = forms.CharField(label=_("Official ID"), required=False)


class SampleForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    share = forms.FloatField(label=_("Share drawn at random"), min_value=0, max_value=1, initial=0.1)
    seed = forms.IntegerField(label=_("Seed (blank: a fresh one)"), required=False, min_value=0)
    promotion = forms.CharField(label=_("Promotion candidates (official IDs)"), required=False)
    complaints = forms.CharField(label=_("Named in complaints (official IDs)"), required=False)

    @staticmethod
    def ids(text: str) -> list[str]:
        return [p for p in text.replace(",", " ").replace(";", " ").split() if p]


class SignOffForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome notes"), widget=forms.Textarea(attrs={"rows": 3}))

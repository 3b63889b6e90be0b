"""Private travel documents of covered officials and their custody at the document desk."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocType(models.TextChoices):
    PASSPORT_ORDINARY = "passport_ordinary", _("ordinary passport")
    PASSPORT_OFFICIAL = "passport_official", _("official passport")
    PASSPORT_SERVICE = "passport_service", _("service passport")
    PASSPORT_DIPLOMATIC = "passport_diplomatic", _("diplomatic passport")
    PERMIT_HK_MACAU = "permit_hk_macau", _("exit-entry permit to Hong Kong and Macau")
    PERMIT_TAIWAN = "permit_taiwan", _("exit-entry permit to Taiwan")
    ID_CARD = "id_card", _("identity card")


class DocStatus(models.TextChoices):
    VALID = "valid", _("valid")
    CANCELLED = "cancelled", _("cancelled")
    LOST = "lost", _("lost")
    EXPIRED = "expired", _("expired")


class CustodyState(models.TextChoices):
    IN_CUSTODY = "in_custody", _("in custody")
    CHECKED_OUT = "checked_out", _("checked out")
    NOT_HANDED_IN = "not_handed_in", _("not handed in")
    NOT_HELD = "not_held", _("not held")


class TravelDocument(models.Model):
    """A document an official holds. The same issuer and number may appear under two holders:
    that is exactly what ``document.identity_conflict`` looks for, so it is not a constraint."""

    holder = models.ForeignKey("registry.Official", on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField(_("document type"), max_length=24, choices=DocType.choices)
    issuer = models.CharField(_("issuer"), max_length=3, default="CHN")
    number = models.CharField(_("number"), max_length=20, db_index=True)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    mrz = models.TextField(_("MRZ"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=DocStatus.choices, default=DocStatus.VALID)
    custody = models.CharField(_("custody"), max_length=16, choices=CustodyState.choices,
                               default=CustodyState.NOT_HANDED_IN, db_index=True)
    due_back = models.DateField(_("due back"), null=True, blank=True)
    check_result = models.JSONField(default=dict, help_text="check_document result at the last intake or import")

    class Meta:
        ordering = ["holder", "doc_type", "number"]
        constraints = [
            models.UniqueConstraint(fields=["holder", "doc_type", "issuer", "number"], name="document_natural_key"),
        ]
        indexes = [models.Index(fields=["issuer", "number"])]
        permissions = [("run_desk", "Can work the document desk")]

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()} {self.issuer} {self.number}"


class EventKind(models.TextChoices):
    INTAKE = "intake", _("handed in")
    CHECKOUT = "checkout", _("checked out")
    RETURN = "return", _("returned to custody")
    LOST = "lost", _("reported lost")
    CANCELLED = "cancelled", _("cancelled")
    RENEWED = "renewed", _("renewed")


class CustodyEvent(models.Model):
    """One step in a document's custody history; events are never edited."""

    document = models.ForeignKey(TravelDocument, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    on = models.DateField(_("date"))
    due_back = models.DateField(_("due back"), null=True, blank=True)
    trip_ref = models.CharField(_("trip"), max_length=32, blank=True)
    purpose = models.CharField(_("trip purpose"), max_length=12, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Custody state just before the event (a loss reported while "in_custody" is suspicious).
    state_before = models.CharField(max_length=16, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "on", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.on}"

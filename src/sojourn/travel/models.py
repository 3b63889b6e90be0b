"""Trip requests of covered officials: submitted by the registrar, decided by an approver."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TripPurpose(models.TextChoices):
    PRIVATE = "private", _("private")
    OFFICIAL = "official", _("official")


class TripStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    ON_HOLD = "on_hold", _("on hold")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Trip(models.Model):
    """One trip abroad with a fixed itinerary: where (ISO 3166-1 alpha-3 codes), when, on which documents.

    ``depart_date`` and ``return_date`` are local calendar dates in ``SOJOURN_TIME_ZONE``.
    ``verdict`` keeps what the rules said when the request was decided, as it was then.
    """

    trip_id = models.CharField(_("trip"), max_length=32, unique=True)
    official = models.ForeignKey("registry.Official", on_delete=models.CASCADE, related_name="trips")
    purpose = models.CharField(_("purpose"), max_length=12, choices=TripPurpose.choices)
    # ";"-separated ISO 3166-1 alpha-3 codes, as in the import file: "HKG;MAC".
    destinations = models.CharField(_("destinations"), max_length=200)
    depart_date = models.DateField(_("departure"))
    return_date = models.DateField(_("return"))
    status = models.CharField(_("status"), max_length=12, choices=TripStatus.choices,
                              default=TripStatus.PENDING, db_index=True)
    documents = models.ManyToManyField("custody.TravelDocument", related_name="trips", blank=True)
    note = models.TextField(_("note"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    hold_reason = models.TextField(_("hold reason"), blank=True)
    verdict = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-depart_date", "trip_id"]
        indexes = [models.Index(fields=["official", "status", "depart_date"])]
        permissions = [("approve_trip", "Can approve or reject trip requests")]

    def __str__(self) -> str:
        return f"{self.trip_id} {self.destinations} {self.depart_date}–{self.return_date}"

    @property
    def destination_list(self) -> list[str]:
        return [c for c in self.destinations.split(";") if c]

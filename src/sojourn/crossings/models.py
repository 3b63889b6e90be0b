"""The covered slice of the crossing store, kept in the operational store.

Raw feeds stay in Parquet (``sojourn.crossings.store``); reconciliation writes back only the
crossings of covered officials, and one ``Journey`` per exit: the exit, the entry that ended it
(if any yet), and the approved trip that covers it (if any).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    EXIT = "exit", _("exit")
    ENTRY = "entry", _("entry")


class MatchedBy(models.TextChoices):
    DOCUMENT = "document", _("document")
    ID_NUMBER = "id_number", _("identity number")
    NAME = "name", _("name, birth date and sex")


class Coverage(models.TextChoices):
    COVERED = "covered", _("covered by an approved trip")
    EARLY = "early", _("left before the approved departure")
    NONE = "none", _("no approved trip")


class MatchedCrossing(models.Model):
    """A border crossing by a covered official. Source records are immutable: never edited, only added."""

    event_id = models.CharField(_("event"), max_length=64, unique=True)
    official = models.ForeignKey("registry.Official", on_delete=models.CASCADE, related_name="crossings")
    crossed_at = models.DateTimeField(_("crossed at"))
    local_date = models.DateField(_("date"), db_index=True)  # in SOJOURN_TIME_ZONE
    direction = models.CharField(_("direction"), max_length=5, choices=Direction.choices)
    port = models.CharField(_("port"), max_length=64)
    country = models.CharField(_("country"), max_length=3)
    doc_type = models.CharField(_("document type"), max_length=24)
    doc_issuer = models.CharField(_("issuer"), max_length=3)
    doc_number = models.CharField(_("document number"), max_length=20)
    document = models.ForeignKey("custody.TravelDocument", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="crossings")
    matched_by = models.CharField(_("matched by"), max_length=10, choices=MatchedBy.choices)
    trip = models.ForeignKey("travel.Trip", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="crossings")
    # What the custody record said of the document that day, as of the last reconciliation.
    doc_in_custody = models.BooleanField(_("document in custody that day"), default=False)
    doc_lost = models.BooleanField(_("document lost or cancelled by then"), default=False)

    class Meta:
        ordering = ["official", "crossed_at", "event_id"]
        indexes = [models.Index(fields=["official", "crossed_at"])]

    def __str__(self) -> str:
        return f"{self.direction} {self.port} {self.local_date}"


class Journey(models.Model):
    """One exit of a covered official and what followed it, as of the last reconciliation.

    ``due_date`` is the approved return date (none for an exit no approved trip covers). Whether a
    journey counts as on time, late, overdue or missing depends on the date one asks at, so it is
    computed by the report for its ``--as-of`` date, not stored.
    """

    exit = models.OneToOneField(MatchedCrossing, on_delete=models.CASCADE, related_name="journey")
    entry = models.ForeignKey(MatchedCrossing, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    official = models.ForeignKey("registry.Official", on_delete=models.CASCADE, related_name="journeys")
    trip = models.ForeignKey("travel.Trip", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="journeys")
    exit_date = models.DateField(_("left on"), db_index=True)
    entry_date = models.DateField(_("back on"), null=True, blank=True)
    due_date = models.DateField(_("due back"), null=True, blank=True)
    destination = models.CharField(_("destination"), max_length=3)
    port = models.CharField(_("port"), max_length=64)
    coverage = models.CharField(_("approval"), max_length=8, choices=Coverage.choices, default=Coverage.NONE)

    class Meta:
        ordering = ["-exit_date", "official"]
        indexes = [models.Index(fields=["official", "exit_date"]), models.Index(fields=["due_date"])]

    def __str__(self) -> str:
        return f"{self.official_id} {self.exit_date}→{self.entry_date or '…'}"

"""Findings raised by the rules, and what inspectors decided about them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FindingStatus(models.TextChoices):
    NEW = "new", _("new")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    ASSIGNED = "assigned", _("assigned")
    DISMISSED = "dismissed", _("dismissed")
    CONFIRMED = "confirmed", _("confirmed")
    ESCALATED = "escalated", _("escalated")
    RESOLVED = "resolved", _("resolved")  # the condition ended (e.g. the overdue traveller came back)


class SeverityChoice(models.IntegerChoices):
    INFO = 1, _("info")
    LOW = 2, _("low")
    MEDIUM = 3, _("medium")
    HIGH = 4, _("high")
    CRITICAL = 5, _("critical")


class Finding(models.Model):
    """A flag for a person to review. ``dedupe_key`` makes re-evaluation idempotent."""

    code = models.CharField(max_length=64, db_index=True)
    severity = models.PositiveSmallIntegerField(choices=SeverityChoice.choices, db_index=True)
    official = models.ForeignKey(
        "registry.Official", null=True, on_delete=models.SET_NULL, related_name="findings"
    )
    # The unit the finding belongs to, for scope; copied so a finding stays scoped if the link breaks.
    unit = models.ForeignKey("registry.Unit", null=True, on_delete=models.SET_NULL, related_name="+")
    subject_id = models.CharField(max_length=64, db_index=True)
    text = models.TextField()
    basis = models.TextField()
    evidence = models.JSONField(default=list)
    details = models.JSONField(default=dict)
    dedupe_key = models.CharField(max_length=255, unique=True)
    ruleset = models.CharField(max_length=32)
    status = models.CharField(max_length=16, choices=FindingStatus.choices, default=FindingStatus.NEW,
                              db_index=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    status_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    last_seen_at = models.DateTimeField()

    class Meta:
        ordering = ["-severity", "-created_at", "-id"]
        indexes = [models.Index(fields=["status", "severity"]), models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return f"{self.code} {self.subject_id}"

    @property
    def severity_label(self) -> str:
        """The stable English label (``critical`` … ``info``), for CSS classes and JSON."""
        from sojourn.core.rules import Severity

        return Severity(self.severity).label

    @property
    def is_open(self) -> bool:
        return self.status not in {FindingStatus.DISMISSED, FindingStatus.CONFIRMED, FindingStatus.RESOLVED}


class JournalEntry(models.Model):
    """The finding's journal: what happened to it, by whom or by which run, in order."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="journal")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=32)
    text = models.TextField()

    class Meta:
        ordering = ["finding", "at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d}"

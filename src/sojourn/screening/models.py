"""Watch lists and their entries: the people a checkpoint or the registry is screened against."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    HOLD = "hold", _("hold")
    REFER = "refer", _("refer")
    NOTIFY = "notify", _("notify")


class Watchlist(models.Model):
    """A named list (internal investigation list, an imported external list, ...)."""

    name = models.CharField(_("name"), max_length=64, unique=True)
    description = models.TextField(_("description"), blank=True)
    changed_at = models.DateTimeField(auto_now=True, help_text="bumped whenever the list's entries change")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WatchlistEntry(models.Model):
    """One person on a list, with the action a hit calls for and the window the entry is valid in."""

    watchlist = models.ForeignKey(Watchlist, on_delete=models.CASCADE, related_name="entries")
    entry_id = models.CharField(_("entry id"), max_length=64)
    name_zh = models.CharField(_("name (characters)"), max_length=64, blank=True)
    surname = models.CharField(_("surname"), max_length=128, blank=True)
    given_name = models.CharField(_("given name"), max_length=128, blank=True)
    aliases = models.TextField(_("aliases"), blank=True, help_text="separated by ';'")
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    nationality = models.CharField(_("nationality"), max_length=3, blank=True)
    id_number = models.CharField(_("ID number"), max_length=32, blank=True)
    doc_numbers = models.TextField(_("document numbers"), blank=True, help_text="separated by ';'")
    reason = models.TextField(_("reason"), blank=True)
    action = models.CharField(_("action"), max_length=8, choices=Action.choices, default=Action.REFER)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["watchlist", "entry_id"]
        constraints = [
            models.UniqueConstraint(fields=["watchlist", "entry_id"], name="watchlist_entry_natural_key"),
        ]
        # The lists' version (services.lists_version) reads the latest updated_at: one index probe.
        indexes = [models.Index(fields=["updated_at"])]
        verbose_name_plural = "watchlist entries"

    def __str__(self) -> str:
        return f"{self.watchlist_id}:{self.entry_id}"


class Verdict(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    REJECTED = "rejected", _("rejected")


class MatchJudgement(models.Model):
    """An inspector's decision about one (registry person, list entry) pair, for the data it was made on.

    ``data_key`` fingerprints both records' identifying fields: when either changes, the pair is
    new and screened again. A rejection stops the pair being raised until ``expires_on`` (never,
    when empty); the latest judgement of a pair is the one that counts.
    """

    subject_key = models.CharField(
        _("person"),
        max_length=64,
        db_index=True,
        help_text="official:<official_id> or relative:<relative_id>",
    )
    list_name = models.CharField(_("list"), max_length=64)
    entry_id = models.CharField(_("entry id"), max_length=64)
    data_key = models.CharField(max_length=32)
    verdict = models.CharField(_("verdict"), max_length=16, choices=Verdict.choices)
    reason = models.TextField(_("reason"), blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    finding = models.ForeignKey(
        "alerts.Finding", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.CharField(_("actor"), max_length=150)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["subject_key", "list_name", "entry_id"])]

    def __str__(self) -> str:
        return f"{self.verdict} {self.subject_key} ~ {self.list_name}/{self.entry_id}"

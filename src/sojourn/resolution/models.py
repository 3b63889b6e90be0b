"""Identity resolution's own artefacts: runs, the cluster of every record, the pairs kept, and judgements.

Records are named by the linkage contract's ``unique_id`` (``official:<id>``, ``relative:<id>``,
``traveller:<ISSUER>:<NUMBER>``, ``watchlist:<list>:<entry>``), not by foreign keys: a cluster spans
the registry, the crossing store and the watch lists, and a traveller has no row in the operational
store at all.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunMode(models.TextChoices):
    FULL = "full", _("full")
    INCREMENTAL = "incremental", _("incremental")


class ResolutionRun(models.Model):
    """One run of ``sojourn resolve``: its parameters and what it found."""

    engine = models.CharField(_("engine"), max_length=16)
    model_version = models.CharField(_("model version"), max_length=64)
    threshold = models.FloatField(_("threshold"))
    mode = models.CharField(_("mode"), max_length=16, choices=RunMode.choices)
    trained = models.BooleanField(_("trained a new model"), default=False)
    records = models.PositiveIntegerField(_("records"), default=0)
    linked = models.PositiveIntegerField(_("records linked"), default=0,
                                         help_text="records passed to the model (all of them in a full run)")
    pairs = models.PositiveIntegerField(_("pairs"), default=0)
    clusters = models.PositiveIntegerField(_("clusters of two or more"), default=0)
    findings = models.JSONField(_("findings raised"), default=dict, help_text="by rule code")
    findings_created = models.PositiveIntegerField(_("new findings"), default=0)
    note = models.TextField(_("note"), blank=True)
    actor = models.CharField(_("actor"), max_length=150)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.mode} run {self.pk} ({self.engine})"


class ClusterMember(models.Model):
    """The cluster a record belongs to; ``cluster_id`` is the smallest unique_id in the cluster."""

    unique_id = models.CharField(max_length=200, unique=True)
    cluster_id = models.CharField(max_length=200, db_index=True)
    source = models.CharField(max_length=16)
    # Digest of the record's identifying fields when it was clustered: a change calls for a full run.
    fingerprint = models.CharField(max_length=32)
    run = models.ForeignKey(ResolutionRun, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["cluster_id", "unique_id"]

    def __str__(self) -> str:
        return f"{self.unique_id} in {self.cluster_id}"


class LinkPair(models.Model):
    """Two records the model scored at or above the threshold, for the data they had then.

    ``data_key`` digests both records' fingerprints: when either record changes, the pair is a new
    row, to be reviewed again. ``active`` is false once a full run no longer finds the pair.
    """

    unique_id_l = models.CharField(max_length=200, db_index=True)
    unique_id_r = models.CharField(max_length=200, db_index=True)
    source_l = models.CharField(max_length=16)
    source_r = models.CharField(max_length=16)
    fingerprint_l = models.CharField(max_length=32)
    fingerprint_r = models.CharField(max_length=32)
    data_key = models.CharField(max_length=32)
    match_probability = models.FloatField(_("match probability"))
    match_weight = models.FloatField(_("match weight"))
    evidence = models.JSONField(default=dict, help_text="per comparison: label, gamma, bayes_factor, left, right")
    # The official each side belongs to (an official, or the official who declared a relative) and that
    # official's unit, for scope; null for travellers and list entries.
    official_l = models.ForeignKey("registry.Official", null=True, on_delete=models.SET_NULL, related_name="+")
    official_r = models.ForeignKey("registry.Official", null=True, on_delete=models.SET_NULL, related_name="+")
    unit_l = models.ForeignKey("registry.Unit", null=True, on_delete=models.SET_NULL, related_name="+")
    unit_r = models.ForeignKey("registry.Unit", null=True, on_delete=models.SET_NULL, related_name="+")
    codes = models.JSONField(default=list, help_text="finding codes this pair supports in the latest run")
    active = models.BooleanField(default=True, db_index=True)
    review = models.CharField(_("review"), max_length=16, choices=[("pending", _("awaiting review")),
                                                                  ("confirmed", _("confirmed")),
                                                                  ("rejected", _("rejected"))],
                              default="pending", db_index=True, help_text="the latest judgement of this pair")
    run = models.ForeignKey(ResolutionRun, on_delete=models.PROTECT, related_name="new_pairs")
    last_run = models.ForeignKey(ResolutionRun, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-match_probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unique_id_l", "unique_id_r", "data_key"], name="linkpair_natural_key"),
        ]

    def __str__(self) -> str:
        return f"{self.unique_id_l} ~ {self.unique_id_r} ({self.match_probability:.3f})"


class Verdict(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    REJECTED = "rejected", _("rejected")


class LinkJudgement(models.Model):
    """An inspector's decision on a pair, for the data it was made on; the latest one counts."""

    pair = models.ForeignKey(LinkPair, null=True, on_delete=models.SET_NULL, related_name="judgements")
    unique_id_l = models.CharField(max_length=200)
    unique_id_r = models.CharField(max_length=200)
    data_key = models.CharField(max_length=32)
    verdict = models.CharField(_("verdict"), max_length=16, choices=Verdict.choices)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.CharField(_("actor"), max_length=150)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["unique_id_l", "unique_id_r", "data_key"])]

    def __str__(self) -> str:
        return f"{self.verdict} {self.unique_id_l} ~ {self.unique_id_r}"

"""The annual personal-matters report of each covered official, its items, the assets the registers show,
and the verification of reports against the records.

A submitted declaration is a source record: never edited. A correction is a new version that
points at the version it corrects (``corrects``); the version in force is the highest submitted one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DeclarationKind(models.TextChoices):
    ANNUAL = "annual", _("annual report")
    EVENT = "event", _("reportable event")


class DeclarationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")


class Source(models.TextChoices):
    WEB = "web", _("entered on the web")
    IMPORT = "import", _("imported")
    API = "api", _("entered through the API")


class ItemKind(models.TextChoices):
    MARRIAGE = "marriage", _("marriage")
    PASSPORT = "passport", _("passport")
    PRIVATE_TRIP = "private_trip", _("private trip abroad")
    PERMIT_HK_MACAU = "permit_hk_macau", _("Hong Kong and Macau permit")
    PERMIT_TAIWAN = "permit_taiwan", _("Taiwan permit")
    HKMT_TRIP = "hkmt_trip", _("trip to Hong Kong, Macau or Taiwan")
    CHILD_FOREIGN_MARRIAGE = "child_foreign_marriage", _("child married to a foreigner")
    EMIGRATION = "emigration", _("emigration of a spouse or child")
    ABROAD_YEAR = "abroad_year", _("spouse or child abroad a year or more")
    RELATIVE_JOB = "relative_job", _("relative's job")
    RELATIVE_CASE = "relative_case", _("relative's criminal case")
    REAL_ESTATE = "real_estate", _("real estate")
    PARKING_SPACE = "parking_space", _("parking space")
    SECURITIES = "securities", _("securities")
    BUSINESS_INVESTMENT = "business_investment", _("business investment")
    FOREIGN_DEPOSIT = "foreign_deposit", _("deposit abroad")
    FOREIGN_INVESTMENT = "foreign_investment", _("investment abroad")
    INCOME = "income", _("income")


class Declaration(models.Model):
    """One version of an official's report: the annual report for ``year``, or a reportable event in it."""

    official = models.ForeignKey("registry.Official", on_delete=models.CASCADE, related_name="declarations")
    year = models.PositiveIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=8, choices=DeclarationKind.choices, default=DeclarationKind.ANNUAL)
    version = models.PositiveIntegerField(_("version"), default=1)
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="corrections", verbose_name=_("corrects"))
    status = models.CharField(_("status"), max_length=12, choices=DeclarationStatus.choices,
                              default=DeclarationStatus.DRAFT, db_index=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.WEB)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "official", "kind", "-version"]
        indexes = [models.Index(fields=["official", "year", "kind"]), models.Index(fields=["year", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["official", "year", "version"], condition=Q(kind="annual"),
                                    name="annual_declaration_version"),
        ]
        permissions = [("verify_declaration", "Can verify declarations")]

    def __str__(self) -> str:
        return f"{self.official_id} {self.year} {self.kind} v{self.version}"

    @property
    def is_submitted(self) -> bool:
        return self.status == DeclarationStatus.SUBMITTED


class DeclarationItem(models.Model):
    """One declared item, in structured fields; which fields matter depends on the kind."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("item"), max_length=24, choices=ItemKind.choices)
    relative = models.ForeignKey("registry.Relative", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("relative"))
    country = models.CharField(_("country"), max_length=3, blank=True)
    number = models.CharField(_("document number"), max_length=32, blank=True)
    from_date = models.DateField(_("from"), null=True, blank=True)
    to_date = models.DateField(_("to"), null=True, blank=True)
    area = models.DecimalField(_("area (m²)"), max_digits=10, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    text = models.CharField(_("text"), max_length=500, blank=True)

    class Meta:
        ordering = ["declaration", "position", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.number or self.country}".strip()


class AssetKind(models.TextChoices):
    DEPOSIT = "deposit", _("deposit")
    REAL_ESTATE = "real_estate", _("real estate")
    PARKING_SPACE = "parking_space", _("parking space")
    SECURITIES = "securities", _("securities")
    BUSINESS = "business", _("business")
    OTHER = "other", _("other")


class AssetSource(models.TextChoices):
    PROPERTY = "property", _("property register")
    BANK = "bank", _("bank")
    SECURITIES = "securities", _("securities register")
    BUSINESS = "business", _("business register")
    SPENDING = "spending", _("spending")
    OTHER = "other", _("other")


class Asset(models.Model):
    """An asset of an official or a relative as a register extract shows it (DESIGN.md §6 ``assets``).

    A row of kind ``other`` with source ``spending`` is the official's spending in the year of
    ``acquired_on``, not an asset: ``declaration.unexplained_wealth`` weighs it against income.
    """

    asset_id = models.CharField(_("asset"), max_length=32, unique=True)
    official = models.ForeignKey("registry.Official", on_delete=models.CASCADE, related_name="assets")
    holder_relative = models.ForeignKey("registry.Relative", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="assets", verbose_name=_("held by relative"))
    kind = models.CharField(_("kind"), max_length=16, choices=AssetKind.choices)
    country = models.CharField(_("country"), max_length=3)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    acquired_on = models.DateField(_("acquired on"), null=True, blank=True)
    area = models.DecimalField(_("area (m²)"), max_digits=10, decimal_places=2, null=True, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=AssetSource.choices, blank=True)

    class Meta:
        ordering = ["official", "asset_id"]

    def __str__(self) -> str:
        return f"{self.asset_id} {self.kind} {self.country}"


class DrawnHow(models.TextChoices):
    RANDOM = "random", _("random sample")
    PROMOTION = "promotion", _("promotion candidate")
    INVESTIGATION = "investigation", _("under investigation")
    COMPLAINT = "complaint", _("named in a complaint")


class VerificationStatus(models.TextChoices):
    COMPLETED = "completed", _("completed")
    SIGNED_OFF = "signed_off", _("signed off")


class Verification(models.Model):
    """One verification of a declaration against the records, and the inspector's sign-off."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="verifications")
    drawn_how = models.CharField(_("drawn"), max_length=16, choices=DrawnHow.choices)
    seed = models.BigIntegerField(_("seed"), null=True, blank=True)
    run_by = models.CharField(_("run by"), max_length=150)
    run_at = models.DateTimeField(_("run at"))
    status = models.CharField(_("status"), max_length=12, choices=VerificationStatus.choices,
                              default=VerificationStatus.COMPLETED, db_index=True)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    outcome = models.TextField(_("outcome notes"), blank=True)

    class Meta:
        ordering = ["-run_at", "-id"]

    def __str__(self) -> str:
        return f"verification {self.pk} of {self.declaration}"


class DiscrepancyClass(models.TextChoices):
    OMISSION = "omission", _("omission")
    CONCEALMENT = "concealment", _("concealment")


class Discrepancy(models.Model):
    """A gap between the declaration and the records, classified as the 2017 measures do."""

    verification = models.ForeignKey(Verification, on_delete=models.CASCADE, related_name="discrepancies")
    klass = models.CharField(_("class"), max_length=12, choices=DiscrepancyClass.choices)
    item_kind = models.CharField(_("item"), max_length=24, choices=ItemKind.choices)
    evidence = models.JSONField(_("evidence"), default=list)
    text = models.TextField(_("text"))
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["verification", "klass", "item_kind", "id"]

    def __str__(self) -> str:
        return f"{self.klass} {self.item_kind}"

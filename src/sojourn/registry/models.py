"""The registry: organizational units, covered officials, their posts and relatives."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Unit(models.Model):
    """An organizational unit; units form a tree, and scope follows the tree downwards."""

    code = models.CharField(_("unit code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    region = models.CharField(_("region"), max_length=12, blank=True)
    # Materialized path of unit codes ("/A/A1/A1b/"): "this unit and everything below it"
    # becomes one indexed prefix query instead of a recursive walk.
    path = models.CharField(max_length=1000, db_index=True, editable=False)

    class Meta:
        ordering = ["path"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


class Rank(models.TextChoices):
    NATIONAL = "national", _("national")
    MINISTERIAL = "ministerial", _("ministerial")
    BUREAU = "bureau", _("bureau")
    DIVISION = "division", _("division")
    SECTION = "section", _("section")
    STAFF = "staff", _("staff")


class OfficialStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    RETIRED = "retired", _("retired")
    UNDER_INVESTIGATION = "under_investigation", _("under investigation")
    MISSING = "missing", _("missing")
    ABSCONDED = "absconded", _("absconded")
    RETURNED = "returned", _("returned")
    DECEASED = "deceased", _("deceased")


class Sex(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class PersonName(models.Model):
    """Structured name fields shared by every person record.

    ``name_zh`` is the name as written in characters; ``surname`` / ``given_name`` the
    romanized parts as on the passport; ``name_script`` says which script the record was
    written in, and ``search_key`` is a normalized string the list page searches.
    """

    name_zh = models.CharField(_("name (characters)"), max_length=64, blank=True)
    surname = models.CharField(_("surname"), max_length=64)
    given_name = models.CharField(_("given name"), max_length=128, blank=True)
    name_script = models.CharField(max_length=8, default="han")
    search_key = models.CharField(max_length=400, db_index=True, editable=False, default="")

    class Meta:
        abstract = True

    @property
    def latin_name(self) -> str:
        return f"{self.surname} {self.given_name}".strip()

    @property
    def display_name(self) -> str:
        return f"{self.name_zh} ({self.latin_name})" if self.name_zh else self.latin_name


class Official(PersonName):
    """A covered official: someone whose travel abroad the oversight body must know about."""

    official_id = models.CharField(_("official ID"), max_length=32, unique=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="officials")
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    id_number = models.CharField(_("ID number"), max_length=18, db_index=True)
    rank = models.CharField(_("rank"), max_length=16, choices=Rank.choices, db_index=True)
    post = models.CharField(_("post"), max_length=200, blank=True)
    restricted_post = models.BooleanField(_("restricted post"), default=False)
    covered_since = models.DateField(_("covered since"))
    filed_on = models.DateField(_("filed with exit-entry administration"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=24, choices=OfficialStatus.choices, default=OfficialStatus.ACTIVE, db_index=True
    )

    class Meta:
        ordering = ["official_id"]
        permissions = [("import_registry", "Can import registry files")]
        indexes = [models.Index(fields=["unit", "official_id"]), models.Index(fields=["name_zh"])]

    def __str__(self) -> str:
        return f"{self.official_id} {self.display_name}"


class PostChange(models.Model):
    """A post an official took up, and when the change was filed with the exit-entry administration."""

    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="post_changes")
    post = models.CharField(_("post"), max_length=200)
    started_on = models.DateField(_("started on"))
    filed_on = models.DateField(_("filed on"), null=True, blank=True)

    class Meta:
        ordering = ["official", "started_on"]
        constraints = [
            models.UniqueConstraint(fields=["official", "started_on", "post"], name="post_change_natural_key")
        ]

    def __str__(self) -> str:
        return f"{self.official.official_id} {self.post} from {self.started_on}"


class Relationship(models.TextChoices):
    SPOUSE = "spouse", _("spouse")
    CHILD = "child", _("child")
    PARENT = "parent", _("parent")
    SIBLING = "sibling", _("sibling")
    CHILD_SPOUSE = "child_spouse", _("child's spouse")


class ResidenceStatus(models.TextChoices):
    CITIZEN = "citizen", _("citizen")
    PERMANENT_RESIDENT = "permanent_resident", _("permanent resident")
    LONG_TERM_RESIDENT = "long_term_resident", _("long-term resident")
    RESIDENT = "resident", _("resident")
    NONE = "none", _("none")


class Activity(models.TextChoices):
    BUSINESS = "business", _("business")
    STUDY = "study", _("study")
    WORK = "work", _("work")
    NONE = "none", _("none")


# Spouses and children living abroad: the families-abroad report's relatives (sojourn.reports.families).
CLOSE_FAMILY = ("spouse", "child")
ABROAD = Q(relationship__in=CLOSE_FAMILY) & ~Q(residence_country__in=("", "CHN")) & ~Q(residence_status="none")
ABROAD_INDEX = "relative_abroad"


class Relative(PersonName):
    """A family member of an official, with where and how they live."""

    relative_id = models.CharField(_("relative ID"), max_length=32, unique=True)
    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="relatives")
    relationship = models.CharField(_("relationship"), max_length=16, choices=Relationship.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    nationality = models.CharField(_("nationality"), max_length=3, default="CHN")
    residence_country = models.CharField(_("residence country"), max_length=3, default="CHN", db_index=True)
    residence_status = models.CharField(
        _("residence status"), max_length=24, choices=ResidenceStatus.choices, default=ResidenceStatus.NONE
    )
    abroad_since = models.DateField(_("abroad since"), null=True, blank=True)
    emigrated_on = models.DateField(_("emigrated on"), null=True, blank=True)
    activity = models.CharField(_("activity"), max_length=16, choices=Activity.choices, default=Activity.NONE)
    married_to_foreigner = models.BooleanField(_("married to a foreigner"), default=False)

    class Meta:
        ordering = ["official", "relative_id"]
        indexes = [
            # Covers the families-abroad report over the whole registry (sojourn.reports.families_index).
            models.Index(fields=["residence_country", "official", "activity", "emigrated_on", "abroad_since"],
                         name=ABROAD_INDEX, condition=ABROAD),
        ]

    def __str__(self) -> str:
        return f"{self.relative_id} {self.display_name}"


class DutyCountries(models.Model):
    """The countries an official's current duties concern (``sojourn import duties``).

    One record per official: a re-import replaces the list. ``countries`` holds ISO 3166-1 alpha-3
    codes separated by ``;``. ``ties.recusal_reminder`` compares them with where the family has settled.
    """

    official = models.OneToOneField(Official, on_delete=models.CASCADE, related_name="duty_countries")
    countries = models.CharField(_("countries"), max_length=200)
    since = models.DateField(_("since"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["official"]
        verbose_name = _("duty countries")
        verbose_name_plural = _("duty countries")

    def __str__(self) -> str:
        return f"{self.official.official_id}: {self.countries}"

    @property
    def country_list(self) -> tuple[str, ...]:
        return tuple(c for c in self.countries.split(";") if c)

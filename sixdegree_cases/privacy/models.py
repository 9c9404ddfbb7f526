"""The private side of a case: its sensitive terms and the survivor's consent.

These records sit beside the page, never on it: they are not page fields, so they are never
copied into a revision, the API, the search index or a template. The relations are one-way
(`related_name="+"`), so no template can reach them from a page either.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .text import folded, mask

TERM_MAX_LENGTH = 200
TERM_MIN_CHARACTERS = 2


class TermKind(models.TextChoices):
    NAME = "name", _("Name")
    FAMILY_NAME = "family_name", _("Family name")
    VILLAGE = "village", _("Home village or town")
    EMPLOYER = "employer", _("Employer")
    VESSEL_OR_AGENCY = "vessel_or_agency", _("Vessel or agency")
    ADDRESS = "address", _("Address")
    OTHER = "other", _("Other")


class SensitiveTerm(models.Model):
    """A word or name that identifies the survivor and must never be published.

    Entered by a case officer; the sensitive-terms check blocks any public text that holds it,
    whatever its case, accents, spacing or punctuation.
    """

    case = models.ForeignKey(
        "sixdegree_cases.SurvivorCasePage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("case"),
    )
    term = models.CharField(
        max_length=TERM_MAX_LENGTH,
        verbose_name=_("term"),
        help_text=_("A real name, family name, village, employer, vessel, agency or address."),
    )
    kind = models.CharField(
        max_length=20, choices=TermKind.choices, default=TermKind.NAME, verbose_name=_("kind")
    )
    # Transliterations are matched automatically (AnyAscii), but only a person knows that
    # สมศรี is written "Somsri" or that "Maung Maung" is also "Mg Mg": officers list them here.
    variants = models.TextField(
        blank=True,
        verbose_name=_("variants"),
        help_text=_(
            "Other spellings of the same term, one per line: a nickname, a romanised form "
            '("Somsri" for สมศรี), the name in another script. Each blocks like the term.'
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("sensitive term")
        verbose_name_plural = _("sensitive terms")
        ordering = ["case", "kind", "term"]

    def __str__(self):
        # Masked: this string is what audit log entries and confirmation titles keep.
        return f"{self.get_kind_display()}: {mask(self.term)}"

    @property
    def variant_list(self):
        """The variants, one per line, blanks left out."""
        return [line.strip() for line in (self.variants or "").splitlines() if line.strip()]

    @property
    def folded(self):
        """The term as the check matches it (see `text.fold`)."""
        return folded(self.term)

    def clean(self):
        super().clean()
        if not self.term:
            return  # "This field is required" says it already.
        self.term = " ".join(self.term.split())
        if len(self.term) > TERM_MAX_LENGTH:
            raise ValidationError(
                {"term": _("A term has at most %(max)s characters.") % {"max": TERM_MAX_LENGTH}}
            )
        key = self.folded
        if not key:
            raise ValidationError({"term": _("A term needs at least one letter or digit.")})
        if len(key.replace(" ", "")) < TERM_MIN_CHARACTERS:
            raise ValidationError(
                {"term": _("A term of one character would match almost any text; enter the whole word.")}
            )
        variants = self.variant_list
        if any(len(variant) > TERM_MAX_LENGTH for variant in variants):
            raise ValidationError(
                {"variants": _("A variant has at most %(max)s characters.") % {"max": TERM_MAX_LENGTH}}
            )
        if any(len(folded(variant).replace(" ", "")) < TERM_MIN_CHARACTERS for variant in variants):
            raise ValidationError(
                {
                    "variants": _(
                        "Each variant needs at least two letters or digits; one would match almost any text."
                    )
                }
            )
        self.variants = "\n".join(variants)
        if self.case_id:
            others = SensitiveTerm.objects.filter(case_id=self.case_id).exclude(pk=self.pk)
            if any(other.folded == key for other in others):
                raise ValidationError({"term": _("This term is already listed for this case.")})


class ConsentRecordQuerySet(models.QuerySet):
    def current(self):
        """Consent that has not been withdrawn."""
        return self.filter(withdrawn_at__isnull=True)


class ConsentRecord(models.Model):
    """The survivor's consent to publish the case, as a case officer recorded it.

    Holds when, for what and in which language consent was given, and who recorded it; never who
    the survivor is.
    """

    case = models.ForeignKey(
        "sixdegree_cases.SurvivorCasePage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("case"),
    )
    given_on = models.DateField(
        verbose_name=_("given on"),
        help_text=_("The day the survivor gave consent."),
        error_messages={"null": _("Enter the date consent was given.")},
    )
    scope_story = models.BooleanField(
        default=False,
        verbose_name=_("story"),
        help_text=_("The survivor's story may be published under a pseudonym."),
    )
    scope_map = models.BooleanField(
        default=False,
        verbose_name=_("map"),
        help_text=_("The survivor's journey may be shown on a map, at coarse places only."),
    )
    scope_amounts = models.BooleanField(
        default=False,
        verbose_name=_("amounts"),
        help_text=_("The amount the survivor needs and its breakdown may be published."),
    )
    language = models.CharField(
        max_length=60,
        verbose_name=_("language"),
        help_text=_("The language consent was explained and given in."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("recorded at"))
    notes = models.TextField(
        blank=True,
        verbose_name=_("internal notes"),
        help_text=_("Internal only. Never the survivor's name or contact details."),
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False, verbose_name=_("withdrawn at"))
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("withdrawn by"),
    )

    objects = ConsentRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-given_on", "-recorded_at"]
        permissions = [("withdraw_consent", _("Can withdraw a survivor's consent and erase the story"))]

    def __str__(self):
        return _("Consent of %(date)s") % {"date": self.given_on}

    @property
    def is_current(self):
        return self.withdrawn_at is None

    @property
    def scopes(self):
        """The labels of what this consent covers."""
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in ("scope_story", "scope_map", "scope_amounts")
            if getattr(self, name)
        ]

    def clean(self):
        super().clean()
        if self.given_on and self.given_on > timezone.localdate():
            raise ValidationError({"given_on": _("Consent cannot be given in the future.")})
        if not (self.scope_story or self.scope_map or self.scope_amounts):
            raise ValidationError(_("Choose what the survivor consented to: story, map or amounts."))
        if (
            not self._state.adding
            and ConsentRecord.objects.filter(pk=self.pk, withdrawn_at__isnull=False).exists()
        ):
            raise ValidationError(_("This consent was withdrawn; a withdrawn record cannot be changed."))
        if self.case_id and self._state.adding and is_withdrawn(self.case_id):
            raise ValidationError(
                _("Consent for this case was withdrawn and its story erased; start a new case instead.")
            )


class CaseWithdrawal(models.Model):
    """The withdrawal of a case: when, by whom and why (internal). One per case."""

    case = models.OneToOneField(
        "sixdegree_cases.SurvivorCasePage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("case"),
    )
    withdrawn_at = models.DateTimeField(default=timezone.now, verbose_name=_("withdrawn at"))
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    reason = models.TextField(blank=True, verbose_name=_("internal reason"))
    # Storage names (random, no case text) of image files the storage failed to delete after the
    # withdrawal committed; `privacy_erase_files` retries them. Empty once every file is gone.
    pending_files = models.JSONField(
        default=list, blank=True, editable=False, verbose_name=_("files to erase")
    )

    class Meta:
        verbose_name = _("case withdrawal")
        verbose_name_plural = _("case withdrawals")

    def __str__(self):
        return _("Withdrawal of case %(id)s") % {"id": self.case_id}


def _case_id(page_or_id):
    return getattr(page_or_id, "pk", page_or_id)


def current_consent(page):
    """The newest consent record of `page` (a page or its id) that is not withdrawn, or None."""
    case_id = _case_id(page)
    if case_id is None:
        return None
    return ConsentRecord.objects.filter(case_id=case_id).current().first()


def is_withdrawn(page):
    """True when consent for `page` (a page or its id) was withdrawn and its story erased."""
    case_id = _case_id(page)
    return case_id is not None and CaseWithdrawal.objects.filter(case_id=case_id).exists()


def sensitive_terms(page):
    """The sensitive terms of `page` (a page or its id)."""
    case_id = _case_id(page)
    if case_id is None:
        return SensitiveTerm.objects.none()
    return SensitiveTerm.objects.filter(case_id=case_id)

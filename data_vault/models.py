"""
The chapter-owned people database: people, households (doors), contact history,
tags, imports with provenance, saved lists, exports and sharing agreements.

Every row belongs to one chapter. Names and addresses are stored normalized
(see importers.normalize) so imports, matching and turf cutting agree.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chapters.models import Chapter
from core.models import Job, TimeStampedModel


class Ladder(models.TextChoices):
    """The engagement ladder, from least to most involved."""

    UNKNOWN = "unknown", _("Unknown")
    VOTER = "voter", _("Voter")
    SUPPORTER = "supporter", _("Supporter")
    VOLUNTEER = "volunteer", _("Volunteer")
    MEMBER = "member", _("Member")
    LEADER = "leader", _("Leader")


LADDER_RANK = {level: rank for rank, level in enumerate(Ladder.values)}


class Channel(models.TextChoices):
    """How the chapter reaches someone."""

    DOOR = "door", _("Door")
    PHONE = "phone", _("Phone")
    TEXT = "text", _("Text")
    EMAIL = "email", _("Email")
    EVENT = "event", _("Event")


# Do-not-contact applies to the channels that reach out to someone.
DNC_CHANNELS = (Channel.DOOR, Channel.PHONE, Channel.TEXT, Channel.EMAIL)


class Tag(models.Model):
    """A chapter's own label for people, such as "tenant leader" or "spanish"."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["chapter", "name"], name="tag_name_unique_in_chapter")]

    def __str__(self) -> str:
        return self.name


class Household(TimeStampedModel):
    """
    One door: a normalized address and the people behind it.

    ``address_key`` joins the normalized parts, so people at the same address
    share one household. ``precinct`` is the residents' precinct (kept by
    imports), so turf can be cut by precinct, street, side and number.
    """

    class Side(models.TextChoices):
        EVEN = "even", _("Even")
        ODD = "odd", _("Odd")

    # The address key's unique constraint leads with the chapter, so the foreign key needs no index of its own.
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="households", db_index=False)
    address_key = models.CharField(max_length=255)
    house_number = models.PositiveIntegerField(null=True, blank=True)
    house_number_suffix = models.CharField(max_length=10, blank=True, help_text=_('Such as "1/2" or "B".'))
    street_name = models.CharField(max_length=120, help_text=_('Normalized, such as "MAIN ST".'))
    unit = models.CharField(max_length=30, blank=True, help_text=_('Apartment or unit, such as "4B".'))
    city = models.CharField(max_length=80, blank=True)
    state = models.CharField(max_length=2, blank=True)
    zip5 = models.CharField(max_length=5, blank=True)
    street_side = models.CharField(max_length=4, choices=Side.choices, blank=True)
    precinct = models.CharField(max_length=40, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # Not indexed, as for people.
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["street_name", "street_side", "house_number", "house_number_suffix", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["chapter", "address_key"], name="household_address_unique_in_chapter"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="household_latitude_in_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="household_longitude_in_range",
            ),
        ]
        indexes = [
            models.Index(
                fields=["chapter", "precinct", "street_name", "street_side", "house_number"],
                name="household_walk_order",
            ),
            models.Index(fields=["chapter", "zip5"], name="household_zip"),
        ]

    def __str__(self) -> str:
        return self.address_line

    @property
    def street_line(self) -> str:
        number = f"{self.house_number or ''} {self.house_number_suffix}".strip()
        line = f"{number} {self.street_name}".strip()
        return f"{line} #{self.unit}" if self.unit else line

    @property
    def address_line(self) -> str:
        place = " ".join(part for part in (self.state, self.zip5) if part)
        return ", ".join(part for part in (self.street_line, self.city, place) if part)


class Person(TimeStampedModel):
    """A voter or contact of the chapter, kept across every campaign."""

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")

    class RegistrationStatus(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")
        REMOVED = "removed", _("Removed")
        DENIED = "denied", _("Denied")
        TEMPORARY = "temporary", _("Temporary")
        UNREGISTERED = "unregistered", _("Not registered")

    # Every person index leads with the chapter, so the foreign key needs none of its own.
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="people", db_index=False)
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="people")
    state_voter_id = models.CharField(max_length=40, blank=True, help_text=_("The state's voter id, if any."))
    county_voter_id = models.CharField(max_length=40, blank=True)

    first_name = models.CharField(max_length=80, blank=True)
    middle_name = models.CharField(max_length=80, blank=True)
    last_name = models.CharField(max_length=80, blank=True)
    name_suffix = models.CharField(max_length=20, blank=True)
    # "LAST|FIRST" in upper case: matching people without a voter id.
    name_key = models.CharField(max_length=170, blank=True, editable=False)
    # Upper-case name, address and voter id: the name and address search.
    search_text = models.TextField(blank=True, editable=False)

    birth_date = models.DateField(null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    gender = models.CharField(max_length=8, choices=Gender.choices, blank=True)
    party = models.CharField(max_length=12, blank=True, help_text=_('The party code, such as "DEM" or "UNA".'))

    registration_status = models.CharField(max_length=16, choices=RegistrationStatus.choices, blank=True)
    registration_date = models.DateField(null=True, blank=True)

    county = models.CharField(max_length=60, blank=True)
    precinct = models.CharField(max_length=40, blank=True)
    congressional_district = models.CharField(max_length=20, blank=True)
    state_senate_district = models.CharField(max_length=20, blank=True)
    state_house_district = models.CharField(max_length=20, blank=True)
    municipality = models.CharField(max_length=60, blank=True)
    ward = models.CharField(max_length=40, blank=True, help_text=_("Ward or council district."))

    ladder = models.CharField(max_length=12, choices=Ladder.choices, default=Ladder.UNKNOWN)
    support_score = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 strong opposition … 5 strong support."),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="people")
    notes = models.TextField(blank=True)
    # The import that created the person, and which fields it filled (a bit each, in
    # importers.records.ORIGIN_FIELDS order): on the person, so an import of a million
    # new people writes no provenance row for each. Later changes are Provenance rows.
    # No database constraint: a million-row import would pay a deferred check per row.
    # Deleting an ImportJob through the ORM still nulls it (SET_NULL runs in the collector).
    origin_import = models.ForeignKey(
        "ImportJob",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    origin_fields = models.PositiveIntegerField(default=0)
    # The digest of the file row that last created, changed or matched the person (RowReader.digest):
    # a re-import passes over the same row, with the same mapping and reading code, without reading it.
    import_digest = models.CharField(max_length=32, blank=True, editable=False)
    # Not indexed: nothing looks people up by when they came, and an import writes a million at once.
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                fields=["chapter", "state_voter_id"],
                condition=~Q(state_voter_id=""),
                name="person_voter_id_unique_in_chapter",
            ),
            models.CheckConstraint(
                condition=Q(support_score__isnull=True) | Q(support_score__gte=1, support_score__lte=5),
                name="person_support_score_1_to_5",
            ),
        ]
        indexes = [
            models.Index(fields=["chapter", "last_name", "first_name"], name="person_name_order"),
            models.Index(fields=["chapter", "name_key", "birth_year"], name="person_match"),
            # Imports bring people in at "unknown": the rungs a ladder filter looks for are the few above it.
            models.Index(fields=["chapter", "ladder"], name="person_ladder_climbed", condition=~Q(ladder="unknown")),
        ]
        # The precinct filter reads person_precinct_words (chapter, precinct, search words; migrations 0003, 0007).

    def __str__(self) -> str:
        return self.full_name or f"Person {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("data_vault:person_detail", kwargs={"chapter": self.chapter.slug, "pk": self.pk})

    @property
    def full_name(self) -> str:
        parts = (self.first_name, self.middle_name, self.last_name, self.name_suffix)
        return " ".join(part for part in parts if part)

    @property
    def ladder_rank(self) -> int:
        return LADDER_RANK[self.ladder]

    @property
    def age(self) -> int | None:
        """Return the age reached this year, from the birth year."""
        year = self.birth_date.year if self.birth_date else self.birth_year
        return timezone.localdate().year - year if year else None


# The fields of a person an organizer may correct by hand.
PERSON_EDITABLE = (
    "first_name",
    "middle_name",
    "last_name",
    "name_suffix",
    "birth_date",
    "birth_year",
    "gender",
    "party",
    "registration_status",
    "state_voter_id",
    "county",
    "precinct",
    "congressional_district",
    "state_senate_district",
    "state_house_district",
    "municipality",
    "ward",
    "support_score",
    "notes",
)


class Phone(models.Model):
    """A phone number of a person, typed cell or landline."""

    class Kind(models.TextChoices):
        CELL = "cell", _("Cell")
        LANDLINE = "landline", _("Landline")
        UNKNOWN = "unknown", _("Unknown")

    # The unique (person, number) index serves lookups by person: the key needs none of its own.
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phones", db_index=False)
    number = models.CharField(max_length=20, help_text=_("Digits only; ten for US numbers."))
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.UNKNOWN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["person", "number"], name="phone_unique_per_person")]

    def __str__(self) -> str:
        if len(self.number) == 10:
            return f"({self.number[:3]}) {self.number[3:6]}-{self.number[6:]}"
        return self.number


class Email(models.Model):
    """An email address of a person."""

    # The unique (person, address) index serves lookups by person: the key needs none of its own.
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="emails", db_index=False)
    address = models.EmailField(max_length=254)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["person", "address"], name="email_unique_per_person")]

    def __str__(self) -> str:
        return self.address


class DoNotContact(models.Model):
    """A person's wish not to be reached on one channel, with why and when."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="do_not_contact")
    channel = models.CharField(max_length=8, choices=[(c.value, c.label) for c in DNC_CHANNELS])
    reason = models.CharField(max_length=200, blank=True)
    recorded_on = models.DateField(default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["channel"]
        constraints = [models.UniqueConstraint(fields=["person", "channel"], name="do_not_contact_once_per_channel")]

    def __str__(self) -> str:
        return f"{self.person}: no {self.get_channel_display().lower()}"


class ContactEvent(models.Model):
    """
    One interaction with a person or a door, in any campaign or none.

    A door result such as "not home" may name only the household. ``answers``
    maps a survey question's id (as a string) to the answer given (a string).
    ``client_uuid`` makes a phone's re-sent result land once.
    """

    class Result(models.TextChoices):
        # Doors.
        NOT_HOME = "not_home", _("Not home")
        CONTACT = "contact", _("Talked")
        REFUSED = "refused", _("Refused")
        MOVED = "moved", _("Moved")
        INACCESSIBLE = "inaccessible", _("Inaccessible")
        COME_BACK = "come_back", _("Come back later")
        LANGUAGE_BARRIER = "language_barrier", _("Language barrier")
        DECEASED = "deceased", _("Deceased")
        # Phones and texts.
        NO_ANSWER = "no_answer", _("No answer")
        LEFT_MESSAGE = "left_message", _("Left message")
        BUSY = "busy", _("Busy")
        WRONG_NUMBER = "wrong_number", _("Wrong number")
        DISCONNECTED = "disconnected", _("Disconnected")
        SENT = "sent", _("Sent")
        REPLIED = "replied", _("Replied")
        OPTED_OUT = "opted_out", _("Opted out")
        BOUNCED = "bounced", _("Bounced")
        # Events.
        RSVP = "rsvp", _("RSVPed")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("No-show")

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="contact_events")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="contact_events")
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="contact_events"
    )
    campaign = models.ForeignKey(
        "canvassing.Campaign", null=True, blank=True, on_delete=models.SET_NULL, related_name="contact_events"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    result = models.CharField(max_length=20, choices=Result.choices)
    answers = models.JSONField(default=dict, blank=True)
    effects = models.JSONField(
        default=dict,
        db_default={},
        blank=True,
        help_text=_(
            "What the answers changed besides the ladder, so a rollback can undo it: "
            "support_before and support_after, tags_added (tag ids), do_not_contact_added (channels)."
        ),
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    occurred_at = models.DateTimeField(default=timezone.now)
    client_uuid = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["chapter", "client_uuid"], name="contact_event_client_uuid_once"),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(household__isnull=False),
                name="contact_event_names_person_or_household",
            ),
        ]
        indexes = [
            models.Index(fields=["chapter", "campaign", "person"], name="contact_event_campaign"),
            models.Index(fields=["person", "-occurred_at"], name="contact_event_person_time"),
            models.Index(fields=["household", "-occurred_at"], name="contact_event_household_time"),
            models.Index(fields=["chapter", "-occurred_at"], name="contact_event_chapter_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.get_result_display()}"


class LadderChange(models.Model):
    """A step of a person on the engagement ladder, for their timeline."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="ladder_changes")
    previous = models.CharField(max_length=12, choices=Ladder.choices)
    level = models.CharField(max_length=12, choices=Ladder.choices)
    source = models.CharField(max_length=200, blank=True, help_text=_("What raised it: a canvass, an import, an edit."))
    contact_event = models.ForeignKey(
        ContactEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="ladder_changes"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "-created_at"], name="ladder_change_person_time")]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_previous_display()} → {self.get_level_display()}"


def import_upload_path(job: ImportJob, filename: str) -> str:
    """Keep uploads per chapter, out of any public directory."""
    return f"imports/{job.chapter_id}/{timezone.now():%Y%m%d%H%M%S}-{filename[-120:]}"


class ImportJob(Job):
    """An uploaded voter file or contact list and its import into the vault."""

    class Source(models.TextChoices):
        WEB = "web", _("Web page")
        API = "api", _("API")
        COMMAND = "command", _("Command line")

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="import_jobs")
    file = models.FileField(upload_to=import_upload_path, max_length=300)
    original_name = models.CharField(max_length=255)
    size_bytes = models.PositiveBigIntegerField(default=0)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.WEB)
    preset = models.CharField(max_length=32, blank=True)
    file_format = models.CharField(max_length=8, blank=True, help_text=_('"delimited" or "xlsx".'))
    encoding = models.CharField(max_length=20, blank=True)
    delimiter = models.CharField(max_length=4, blank=True)
    header = models.JSONField(default=list, blank=True)
    sample_rows = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(default=dict, blank=True, help_text=_("Vault field → the file's column."))
    confirmed_at = models.DateTimeField(null=True, blank=True, help_text=_("When the mapping was confirmed."))
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    households_created_count = models.PositiveIntegerField(default=0)

    class Meta(Job.Meta):
        indexes = [models.Index(fields=["chapter", "-created_at"], name="import_job_chapter_time")]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("data_vault:import_detail", kwargs={"chapter": self.chapter.slug, "pk": self.pk})


class ImportRejection(models.Model):
    """A row an import left out, and why."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rejections")
    row_number = models.PositiveBigIntegerField(help_text=_("The row in the file; the header is row 1."))
    column = models.CharField(max_length=120, blank=True)
    value = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["row_number", "id"]
        indexes = [models.Index(fields=["job", "row_number"], name="import_rejection_row")]

    def __str__(self) -> str:
        return f"Row {self.row_number}: {self.reason}"


class Provenance(models.Model):
    """Which import or edit created or changed which of a person's fields, and when."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")
        EDITED = "edited", _("Edited")
        MERGED = "merged", _("Merged")

    # provenance_person_time serves the person's lookups. The import and the actor are pointers the
    # collector nulls when they go (SET_NULL); without database constraints, a re-import changing
    # a hundred thousand people pays no deferred check for either on each row.
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="provenance", db_index=False)
    import_job = models.ForeignKey(
        ImportJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="provenance", db_constraint=False
    )
    action = models.CharField(max_length=8, choices=Action.choices)
    fields = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=255, blank=True, help_text=_("The file or the editor, kept if the job goes."))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "provenance"
        indexes = [models.Index(fields=["person", "-created_at"], name="provenance_person_time")]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.get_action_display()} {', '.join(self.fields)}"


class SavedList(TimeStampedModel):
    """A universe: a stored people filter whose members are computed live."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="saved_lists")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    filters = models.JSONField(default=dict, blank=True, help_text=_("The people filter, as the list page takes it."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["chapter", "name"], name="saved_list_name_unique_in_chapter")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("data_vault:saved_list_detail", kwargs={"chapter": self.chapter.slug, "pk": self.pk})


class SharingAgreement(models.Model):
    """Chapter A lets chapter B read one saved list, until A revokes it."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="sharing_agreements_given")
    partner = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="sharing_agreements_received")
    saved_list = models.ForeignKey(SavedList, on_delete=models.CASCADE, related_name="sharing_agreements")
    purpose = models.CharField(max_length=200, blank=True, help_text=_("Such as the statewide table it serves."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["saved_list", "partner"],
                condition=Q(revoked_at__isnull=True),
                name="sharing_agreement_active_once",
            ),
            models.CheckConstraint(condition=~Q(chapter=models.F("partner")), name="sharing_agreement_other_chapter"),
        ]

    def __str__(self) -> str:
        return f"{self.saved_list} → {self.partner}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


def export_file_path(job: ExportJob, filename: str) -> str:
    """Keep export files per chapter, out of any public directory."""
    return f"exports/{job.chapter_id}/{filename}"


class ExportJob(Job):
    """A CSV export of the whole vault or of one list; its download expires."""

    class Kind(models.TextChoices):
        VAULT = "vault", _("Whole vault")
        LIST = "list", _("List")

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="export_jobs")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    saved_list = models.ForeignKey(SavedList, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    filters = models.JSONField(default=dict, blank=True)
    file = models.FileField(upload_to=export_file_path, max_length=300, blank=True)
    row_count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta(Job.Meta):
        indexes = [models.Index(fields=["chapter", "-created_at"], name="export_job_chapter_time")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} export {self.pk}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


class Erasure(models.Model):
    """
    A person deleted on request: only digests remain, so a later import skips them.

    The digests are of the voter id and of the name, birth year and address key;
    nothing readable about the person is kept.
    """

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="erasures")
    voter_id_digest = models.CharField(max_length=64, blank=True)
    match_digest = models.CharField(max_length=64, blank=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["chapter", "voter_id_digest"], name="erasure_voter_id"),
            models.Index(fields=["chapter", "match_digest"], name="erasure_match"),
        ]

    def __str__(self) -> str:
        return f"Erasure {self.pk}"

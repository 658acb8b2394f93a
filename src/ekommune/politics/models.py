"""Data of the politics app: bodies (utvalg), members, meetings, agendas, decisions, minutes.

Every table carries ``municipality``; unique keys include it (docs/decisions/0003-tenancy.md).
Archive objects (the case, the case presentation, the minutes) are referred to by their Noark
``systemID`` and number, not by foreign key: the archive is the one record and this app reaches
it only through ``archive.services`` / ``archive.selectors`` (docs/decisions/0050-politics-on-the-archive.md).
Rules that a row can hold are database constraints; the services check them first for a clear message.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ekommune.core.models import TenantOwnedModel


class Term(TenantOwnedModel):
    """Valgperiode: the council period members are elected for (e.g. 2023–2027)."""

    name = models.CharField(_("navn"), max_length=50)
    starts_on = models.DateField(_("fra"))
    ends_on = models.DateField(_("til"))

    class Meta:
        verbose_name = _("valgperiode")
        verbose_name_plural = _("valgperioder")
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="politics_term_name_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="politics_term_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BodyKind(models.TextChoices):
    COUNCIL = "kommunestyre", _("Kommunestyre")
    EXECUTIVE = "formannskap", _("Formannskap")
    COMMITTEE = "utvalg", _("Utvalg")
    ADVISORY = "raad", _("Råd")


class Body(TenantOwnedModel):
    """Utvalg: a political body (kommunestyre, formannskap, committee, council)."""

    Kind = BodyKind

    name = models.CharField(_("navn"), max_length=200)
    abbreviation = models.CharField(_("forkortelse"), max_length=20)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("overordnet"),
    )
    video_channel = models.URLField(_("videokanal"), blank=True)
    minutes_case_number = models.CharField(_("sak for møtebøker"), max_length=20)  # saksnummer in the archive
    # The archive class (klasse, its systemID) the body's cases are filed under: its minutes case,
    # and the default of the bodies below it. Empty only for a body made before classes were
    # required, or in a series without a classification scheme.
    case_class_system_id = models.UUIDField(_("arkivklasse for sakene"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("utvalg")
        verbose_name_plural = _("utvalg")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="politics_body_name_unique"),
            models.UniqueConstraint(
                fields=["municipality", "abbreviation"], name="politics_body_abbreviation_unique"
            ),
            models.CheckConstraint(condition=Q(kind__in=BodyKind.values), name="politics_body_kind_known"),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="politics_body_not_own_parent"),
            models.CheckConstraint(condition=~Q(name=""), name="politics_body_has_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Person(TenantOwnedModel):
    """Folkevalgt: an elected member, with party and the public e-mail address the law asks for."""

    name = models.CharField(_("navn"), max_length=200)
    party = models.CharField(_("parti"), max_length=100)
    email = models.EmailField(_("e-post"))
    created_at = models.DateTimeField(auto_now_add=True)
    # OParl ``modified``: a seat added changes the person's public record (services.common.touch)
    modified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("folkevalgt")
        verbose_name_plural = _("folkevalgte")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "email"], name="politics_person_email_unique"),
            models.CheckConstraint(condition=~Q(name=""), name="politics_person_has_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.party})"


class MembershipRole(models.TextChoices):
    LEADER = "leder", _("Leder")
    DEPUTY_LEADER = "nestleder", _("Nestleder")
    MEMBER = "medlem", _("Medlem")
    DEPUTY = "varamedlem", _("Varamedlem")


class Membership(TenantOwnedModel):
    """Verv: a person's seat in a body for a term, as leader, deputy leader, member or deputy."""

    Role = MembershipRole

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices)
    starts_on = models.DateField(_("fra"))
    ends_on = models.DateField(_("til"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("verv")
        verbose_name_plural = _("verv")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=MembershipRole.values), name="politics_membership_role_known"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="politics_membership_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["municipality", "body", "person", "term", "starts_on"],
                name="politics_membership_unique",
            ),
            models.UniqueConstraint(
                fields=["municipality", "body", "term", "role"],
                condition=Q(role__in=["leder", "nestleder"], ends_on__isnull=True),
                name="politics_membership_one_current_leader",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()} ({self.body})"


class MeetingStatus(models.TextChoices):
    PLANNED = "planlagt", _("Planlagt")
    SUMMONED = "innkalt", _("Innkalt")
    HELD = "avholdt", _("Avholdt")
    MINUTES_APPROVED = "protokoll_godkjent", _("Protokoll godkjent")


class Meeting(TenantOwnedModel):
    """Møte of a body: planned → summoned (innkalt) → held (avholdt) → minutes approved."""

    Status = MeetingStatus

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField(_("starter"))
    ends_at = models.DateTimeField(_("slutter"))
    place = models.CharField(_("sted"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    video_url = models.URLField(_("opptak"), blank=True)
    summoned_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # OParl ``modified``: the meeting or anything it shows (items, decisions, minutes) changed
    modified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("møte")
        verbose_name_plural = _("møter")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MeetingStatus.values), name="politics_meeting_status_known"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="politics_meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(status="planlagt") | Q(summoned_at__isnull=False),
                name="politics_meeting_summoned_has_date",
            ),
            models.UniqueConstraint(
                fields=["municipality", "body", "starts_at"], name="politics_meeting_unique_start"
            ),
        ]
        indexes = [models.Index(fields=["municipality", "starts_at"], name="politics_meeting_calendar")]

    def __str__(self) -> str:
        return f"{self.body} {self.starts_at:%d.%m.%Y}"


class AgendaItem(TenantOwnedModel):
    """Sak på sakskartet: numbered ``21/13`` (sequence/two-digit year) per body and year.

    The case presentation (saksframlegg) is a registry entry of type S in the archive case; what
    the public sees of its title and documents comes from the public journal's screening, never
    from here. ``public_title`` and ``presentation_screened`` are what the screening said when the
    item was last changed, kept for full-text search only.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")  # = meeting.body (numbering)
    year = models.PositiveIntegerField()
    sequence = models.PositiveIntegerField()
    case_system_id = models.UUIDField()  # saksmappe systemID
    case_number = models.CharField(max_length=20)  # saksnummer 2013/1269
    presentation_system_id = models.UUIDField(unique=True)  # journalpost S systemID
    public_title = models.CharField(max_length=1000)
    presentation_screened = models.BooleanField(default=False)
    recommendation = models.TextField(_("innstilling"), blank=True)
    video_offset_seconds = models.PositiveIntegerField(
        _("tidspunkt i opptaket (sekunder)"), null=True, blank=True
    )
    is_public = models.BooleanField(_("åpen sak"), default=True)
    closed_basis = models.CharField(_("hjemmel for lukking"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # OParl ``modified``: the item, its decision or its screening changed (services.common.touch)
    modified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("sak")
        verbose_name_plural = _("saker")
        ordering = ["year", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "body", "year", "sequence"], name="politics_item_number_unique"
            ),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="politics_item_sequence_positive"),
            models.CheckConstraint(
                condition=Q(is_public=True) | ~Q(closed_basis=""), name="politics_closed_item_has_basis"
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "case_system_id"], name="politics_item_case"),
            models.Index(fields=["municipality", "case_number"], name="politics_item_case_number"),
            models.Index(fields=["municipality", "modified_at"], name="politics_item_modified"),
        ]

    @property
    def number(self) -> str:
        """Saksnummer i utvalget: ``21/13``."""
        return f"{self.sequence}/{self.year % 100:02d}"

    def __str__(self) -> str:
        return f"{self.body.abbreviation} {self.number}"


class Decision(TenantOwnedModel):
    """Vedtak on an agenda item: provisional from when it is recorded until the minutes are approved."""

    item = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, related_name="decision")
    text = models.TextField(_("vedtak"))
    unanimous = models.BooleanField(_("enstemmig"), default=False)
    recorded_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=200)
    final_at = models.DateTimeField(null=True, blank=True)  # when the minutes were approved

    class Meta:
        verbose_name = _("vedtak")
        verbose_name_plural = _("vedtak")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="politics_decision_has_text"),
            models.CheckConstraint(
                condition=Q(final_at__isnull=True) | Q(final_at__gte=F("recorded_at")),
                name="politics_decision_final_after_recorded",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "-recorded_at"], name="politics_decision_recent")]

    @property
    def is_provisional(self) -> bool:
        return self.final_at is None


class VoteChoice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "mot", _("Mot")
    ABSTAIN = "avstod", _("Avstod")


class Vote(TenantOwnedModel):
    """Stemmer: how a party (count of votes) or a named member voted on the decision."""

    Choice = VoteChoice

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    party = models.CharField(max_length=100, blank=True)
    choice = models.CharField(max_length=10, choices=Choice.choices)
    count = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(choice__in=VoteChoice.values), name="politics_vote_choice_known"
            ),
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(party="") & Q(count=1))
                | (Q(person__isnull=True) & ~Q(party="") & Q(count__gte=1)),
                name="politics_vote_by_member_or_party",
            ),
            models.UniqueConstraint(
                fields=["decision", "person"],
                condition=Q(person__isnull=False),
                name="politics_vote_once_per_member",
            ),
            models.UniqueConstraint(
                fields=["decision", "party", "choice"],
                condition=~Q(party=""),
                name="politics_vote_once_per_party",
            ),
        ]


class Amendment(TenantOwnedModel):
    """Endringsforslag: a proposal put forward during the debate, and whether it was adopted."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="amendments")
    proposed_by = models.CharField(max_length=200)
    text = models.TextField()
    adopted = models.BooleanField(default=False)
    votes_for = models.PositiveIntegerField(null=True, blank=True)
    votes_against = models.PositiveIntegerField(null=True, blank=True)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "position"], name="politics_amendment_position_unique"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="politics_amendment_has_text"),
        ]


class AbsenceReason(models.TextChoices):
    ABSENT = "forfall", _("Forfall")
    DISQUALIFIED = "inhabil", _("Inhabil")


class Absence(TenantOwnedModel):
    """Forfall or inhabilitet: a member absent from, or disqualified for, the item."""

    Reason = AbsenceReason

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="absences")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=10, choices=Reason.choices)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=AbsenceReason.values), name="politics_absence_reason_known"
            ),
            models.UniqueConstraint(fields=["decision", "person"], name="politics_absence_once_per_member"),
        ]


class Minutes(TenantOwnedModel):
    """Møteprotokoll: generated as a document, archived in the body's minutes case, published once approved."""

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="minutes")
    entry_system_id = models.UUIDField(unique=True)  # the registry entry in the archive
    file_object_id = models.UUIDField()  # its document object (the HTML file)
    generated_at = models.DateTimeField()
    approved_at = models.DateTimeField()
    approved_by = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("møteprotokoll")
        verbose_name_plural = _("møteprotokoller")


class Subscription(TenantOwnedModel):
    """Abonnement: a citizen's e-mail notice when a body meets, or a case is on an agenda or decided."""

    email = models.EmailField()
    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    case_number = models.CharField(max_length=20, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(body__isnull=False) & Q(case_number=""))
                | (Q(body__isnull=True) & ~Q(case_number="")),
                name="politics_subscription_body_or_case",
            ),
            models.UniqueConstraint(
                fields=["municipality", "email", "body"],
                condition=Q(body__isnull=False),
                name="politics_subscription_once_per_body",
            ),
            models.UniqueConstraint(
                fields=["municipality", "email", "case_number"],
                condition=~Q(case_number=""),
                name="politics_subscription_once_per_case",
            ),
        ]


class AttendanceStatus(models.TextChoices):
    PRESENT = "tilstede", _("Til stede")
    ABSENT = "forfall", _("Forfall")


class Attendance(TenantOwnedModel):
    """Oppmøte: who met at a meeting (a deputy with the member they met for) and who had forfall."""

    Status = AttendanceStatus

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices)
    substitute_for = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("oppmøte")
        verbose_name_plural = _("oppmøte")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AttendanceStatus.values), name="politics_attendance_status_known"
            ),
            models.UniqueConstraint(fields=["meeting", "person"], name="politics_attendance_once_per_person"),
            models.CheckConstraint(
                condition=Q(substitute_for__isnull=True)
                | (Q(status="tilstede") & ~Q(substitute_for=F("person"))),
                name="politics_attendance_substitute_present_for_another",
            ),
        ]

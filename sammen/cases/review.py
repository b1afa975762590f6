"""Reports that are gone through with the parent and approved before the caseworker uses them.

Shared by follow-up reports and visit reports (004 §2.4: «gjennomgås med foreldre og godkjennes
før den tas inn»). The state only moves forward: draft → reviewed with the parent → approved.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sammen.access.policy import Access
from sammen.org.models import ReportApprover, Role


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEWED = "reviewed", _("Gone through with the parent")
    APPROVED = "approved", _("Approved")


class ParentAgreement(models.TextChoices):
    AGREES = "agrees", _("Agrees")
    PARTLY = "partly", _("Partly agrees")
    DISAGREES = "disagrees", _("Disagrees")


class ReviewedReport(models.Model):
    """Fields every reviewed report has; concrete reports add their own content."""

    state = models.CharField(
        _("status"), max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    reviewed_on = models.DateField(_("gone through with the parent on"), null=True, blank=True)
    parent_comments = models.TextField(_("the parent's comments"), blank=True)
    parent_agreement = models.CharField(
        _("does the parent agree?"), max_length=10, choices=ParentAgreement.choices, blank=True
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    # What the report's life starts with: "period" (its first day) or "visit" (the day of the
    # one visit it is about). Each concrete report gives the date as `review_starts_on`, e.g.
    # a follow-up report its `period_start`; a report cannot be gone through before it.
    review_start_kind = "period"

    class Meta:
        abstract = True

    @property
    def is_approved(self) -> bool:
        return self.state == ReviewState.APPROVED


def _day(value) -> str:
    return value.strftime("%d.%m.%Y")


def review_date_conflict(report: ReviewedReport, reviewed_on) -> str | None:
    """Why `reviewed_on` cannot be the day the report was gone through with the parent, or None.

    The day lies within the report's life: not before it starts (`report.review_starts_on`: the
    period's first day, or the day of the visit the report is about) and not after today.
    """
    today = timezone.localdate()
    if reviewed_on > today:
        return _(
            "The report cannot have been gone through with the parent on %(reviewed)s: "
            "that day has not come yet (today is %(today)s)."
        ) % {"reviewed": _day(reviewed_on), "today": _day(today)}
    start = report.review_starts_on
    if start is not None and reviewed_on < start:
        if report.review_start_kind == "visit":
            text = _(
                "The report was gone through with the parent on %(reviewed)s, before the visit "
                "it is about took place (%(start)s)."
            )
        else:
            text = _(
                "The report was gone through with the parent on %(reviewed)s, before the "
                "report's period begins (%(start)s)."
            )
        return text % {"reviewed": _day(reviewed_on), "start": _day(start)}
    return None


def record_parent_review(
    report: ReviewedReport, *, reviewed_on, comments: str, agreement: str
) -> None:
    """The report was gone through with the parent; their view is kept beside it."""
    if report.state == ReviewState.APPROVED:
        raise ValidationError(_("An approved report cannot be changed."))
    conflict = review_date_conflict(report, reviewed_on)
    if conflict:
        raise ValidationError(conflict)
    if not agreement:
        raise ValidationError(_("Record whether the parent agrees."))
    report.reviewed_on = reviewed_on
    report.parent_comments = comments
    report.parent_agreement = agreement
    report.state = ReviewState.REVIEWED


def may_approve(user, case) -> bool:
    """The unit decides who approves: the case's section leader, or its caseworker."""
    unit = case.section.unit
    if unit.report_approver == ReportApprover.CASEWORKER:
        return user.pk == case.caseworker_id
    return user.role == Role.SECTION_LEADER and user.section_id == case.section_id


def approve(report: ReviewedReport, *, user, case) -> None:
    """Approve a report that has been gone through with the parent."""
    if report.state != ReviewState.REVIEWED:
        raise ValidationError(
            _("The report must be gone through with the parent before it is approved.")
        )
    if not may_approve(user, case):
        raise ValidationError(_("You are not the one who approves reports in this unit."))
    # The review date may have come another way than `record_parent_review` (an import, an
    # older version): approve only a report whose review date lies within its life, so the
    # approval (now) never comes before the review.
    if report.reviewed_on is None:
        raise ValidationError(
            _("The report must be gone through with the parent before it is approved.")
        )
    conflict = review_date_conflict(report, report.reviewed_on)
    if conflict:
        raise ValidationError([_("The report cannot be approved."), conflict])
    report.state = ReviewState.APPROVED
    report.approved_by = user
    report.approved_at = timezone.now()


def may_see(user, case, report: ReviewedReport) -> bool:
    """The caseworker sees a report once it is approved, or when it is theirs to approve."""
    if user.role != Role.CASEWORKER or report.is_approved:
        return True
    return report.state == ReviewState.REVIEWED and may_approve(user, case)


def report_actions(user, case, report: ReviewedReport) -> dict[str, bool]:
    """What `user` may do with the report now: edit the draft, record the review, approve."""
    writable = case.access >= Access.WRITE
    return {
        "can_edit": writable and report.state == ReviewState.DRAFT,
        "can_review": writable and report.state != ReviewState.APPROVED,
        "can_approve": report.state == ReviewState.REVIEWED and may_approve(user, case),
    }

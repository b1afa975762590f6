"""Writes of the insight pages."""

from django.db import transaction

from sammen.audit.models import AuditAction
from sammen.audit.services import audit_record

from .models import CostRates


def rates_for(unit) -> CostRates:
    """The unit's rates; the evaluation's defaults until a leader changes them."""
    return CostRates.objects.filter(unit=unit).first() or CostRates(unit=unit)


@transaction.atomic
def rates_save(*, user, rates: CostRates, expected_version: int | None, request=None) -> CostRates:
    """Save the unit's rates; refuses when someone else saved them since the form opened."""
    rates.updated_by = user
    rates.full_clean()
    if rates.pk:
        rates.save_versioned(expected_version=expected_version or 0)
    else:
        rates.save()
    audit_record(user=user, action=AuditAction.UPDATE, obj=rates, request=request)
    return rates

from django.core.exceptions import ValidationError


class DateRulesMixin:
    """Checks a record's dates against the rules of `cases.date_rules` in `clean_fields()`.

    `clean_fields()` is the step of `full_clean()` that knows which fields to leave out: a model
    form leaves out the fields it does not show and those that already have an error, so each
    refusal lands under a field the form shows; a service's `full_clean()` checks every rule.
    """

    def date_problems(self, skip: set[str]) -> dict[str, str]:
        """Field → refusal, for the rules of this record; rules on a field in `skip` (or
        comparing with one) are left out."""
        return {}

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        skip = set(exclude or ()) | set(errors)
        for name, message in self.date_problems(skip).items():
            if name not in skip:
                errors.setdefault(name, []).append(ValidationError(message, code="date_order"))
        if errors:
            raise ValidationError(errors)


def problems(**candidates) -> dict[str, str]:
    """Field → the first refusal among its candidates (None where the rule holds)."""
    found = {}
    for name, messages in candidates.items():
        message = next((m for m in messages if m), None)
        if message:
            found[name] = message
    return found


def child_birth_of(case) -> object:
    """The date of birth of `case`'s child (None if unknown or the case is not saved)."""
    if case is None or case.pk is None:
        return None
    return case.persons.filter(relation="child").values_list("date_of_birth", flat=True).first()

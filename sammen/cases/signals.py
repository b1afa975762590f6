"""Signals of the child's case, for records in later apps that follow the case's facts."""

from django.dispatch import Signal

# Sent in the transaction that registers or changes one of a case's tribunal decisions, with
# `case`, `user` and `request`. Aftercare (followup) follows the decision lifting the care order.
decisions_changed = Signal()

"""Password rules for local accounts (AUTH_PASSWORD_VALIDATORS in settings)."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule, with its refusal in bokmål and nynorsk.

    Django 5.2 reworded the message (%d for %(min_length)d) and its own nb and nn catalogues
    still carry only the old wording, so the message came out in English. The same msgid here
    puts the translation in Sammen's catalogues, which come first; drop this class once Django's
    catalogues have it.
    """

    def get_error_message(self):
        return (
            ngettext(
                "This password is too short. It must contain at least %d character.",
                "This password is too short. It must contain at least %d characters.",
                self.min_length,
            )
            % self.min_length
        )

from django.utils.translation import gettext


class SignInRefused(Exception):
    """The provider signed the person in, but Sammen refuses them.

    `message` is shown on the login page; `reason` goes to the log (no claim values: for
    ID-porten the claim is a national identity number).
    """

    def __init__(self, message, *, reason: str, user=None):
        super().__init__(reason)
        self.message = message
        self.reason = reason
        self.user = user

    @staticmethod
    def missing_claim(claim: str):
        return gettext(
            "The identity provider did not say who you are (the claim “%(claim)s” is missing). "
            "Ask your IT department to check the sign-in set-up."
        ) % {"claim": claim}

from django.contrib.auth.backends import ModelBackend


class ProviderBackend(ModelBackend):
    """The backend a session signed in through an identity provider belongs to.

    It never checks a password (`authenticate` returns None): `sammen.signin.views.callback`
    signs the person in once the provider's ID token has been checked. It restores the user of
    such a session (a switched-off user is signed out on their next request) and answers
    permission checks as ModelBackend does. It stays in AUTHENTICATION_BACKENDS when local
    passwords are switched off; ModelBackend then goes, and with it password sign-in.
    """

    def authenticate(self, request, **credentials):
        return None

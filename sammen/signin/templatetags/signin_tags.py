"""The login page's choices: the identity providers' buttons and whether passwords are on."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode

from sammen.signin import providers

register = template.Library()


@register.simple_tag
def signin_providers(next_url=""):
    """[(label, address)] for every configured identity provider, carrying `next`."""
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    return [
        (config.label, reverse(f"signin:{name}_begin") + query)
        for name, config in providers.configured().items()
    ]


@register.simple_tag
def local_passwords_on():
    return getattr(settings, "SIGNIN_LOCAL_PASSWORDS", True)

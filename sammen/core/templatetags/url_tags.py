"""`{% url_for "name" id … %}`: the address `{% url "name" id … %}` gives, for pages that print
many links with numeric ids (the case overview prints about twenty).

`reverse()` walks the URL resolver on every call (about 50 µs each). Here each URL name is
reversed once per process with marker ids, and the address is then filled in with the ids: the
same text, as `followup.selectors._followup_url_maker` does for a list. Arguments other than
integers, and a name whose address does not hold each marker exactly once, go to `reverse()`.
The script prefix and the URLconf in force are part of the key, so a deployment under a path
prefix and a test with its own URLconf get their own addresses.
"""

from functools import cache

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()

MARKER = 7_391_046_283  # an id no table reaches; each argument n gets MARKER + n


@cache
def _parts(name: str, count: int, prefix: str, urlconf) -> tuple[str, ...] | None:
    """The address of `name` cut at each of `count` integer arguments, or None if it cannot be
    cut safely (a marker missing or repeated)."""
    markers = [str(MARKER + n) for n in range(count)]
    address = reverse(name, args=[MARKER + n for n in range(count)], urlconf=urlconf)
    parts = []
    rest = address
    for marker in markers:
        if address.count(marker) != 1:
            return None
        head, _marker, rest = rest.partition(marker)
        parts.append(head)
    parts.append(rest)
    return tuple(parts)


def url_for_ids(name: str, *ids) -> str:
    """`reverse(name, args=ids)` for integer ids, without walking the resolver each time."""
    if not all(type(i) is int for i in ids):
        return reverse(name, args=ids)
    parts = _parts(name, len(ids), get_script_prefix(), get_urlconf())
    if parts is None:
        return reverse(name, args=ids)
    out = [parts[0]]
    for value, part in zip(ids, parts[1:], strict=True):
        out += [str(value), part]
    return "".join(out)


@register.simple_tag
def url_for(name, *ids):
    return url_for_ids(name, *ids)

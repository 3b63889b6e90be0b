"""Evidence ids (``official:SJ0000001``, ``document:42``) as links a caseworker can follow."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

ROUTES = {"official": ("registry:official", str), "document": ("custody:document", int),
          "relative": ("registry:relative", str), "trip": ("travel:trip", str)}


@register.filter
def evidence_link(ref: str) -> SafeString | str:
    kind, _, key = str(ref).partition(":")
    route = ROUTES.get(kind)
    if route is None or not key:
        return ref
    name, convert = route
    try:
        url = reverse(name, args=[convert(key)])
    except (NoReverseMatch, ValueError):
        return ref
    return format_html('<a href="{}">{}</a>', url, ref)

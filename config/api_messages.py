"""The API's per-field validation messages in the caller's language.

Pydantic words its errors in English ("Input should be a valid integer"); the API answers them in
the language of the request (config/auth.py: `Accept-Language`, else the token owner's preferred
language), like the pages. Each error's `type` picks a sentence; where Django's own catalogue already
has one ("This field is required.") it is reused, so its translations come with Django. The
machine-readable parts (`reason`, the field names in `errors`) never change with the language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def _length(err: dict[str, Any]) -> int:
    value = err.get("input")
    return len(value) if isinstance(value, str | list | dict) else 0


def _too_long(err: dict[str, Any]) -> str:
    limit = int(err.get("ctx", {}).get("max_length", 0))
    if isinstance(err.get("input"), str):
        return ngettext(
            "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
            limit,
        ) % {"limit_value": limit, "show_value": _length(err)}
    return _("Send at most %(limit)s items.") % {"limit": limit}


def _too_short(err: dict[str, Any]) -> str:
    limit = int(err.get("ctx", {}).get("min_length", 0))
    if isinstance(err.get("input"), str):
        return ngettext(
            "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
            limit,
        ) % {"limit_value": limit, "show_value": _length(err)}
    return _("Send at least %(limit)s items.") % {"limit": limit}


def _choice(err: dict[str, Any]) -> str:
    return _("Choose one of: %(choices)s.") % {"choices": err.get("ctx", {}).get("expected", "")}


def _bound(message: Callable[[], str], key: str) -> Callable[[dict[str, Any]], str]:
    return lambda err: message() % {"limit_value": err.get("ctx", {}).get(key, "")}


def _value_error(err: dict[str, Any]) -> str:
    # Our own validators raise ValueError with a sentence already in the request's language.
    cause = err.get("ctx", {}).get("error")
    return str(cause) if cause is not None else str(err.get("msg", ""))


MESSAGES: dict[str, Callable[[dict[str, Any]], str]] = {
    "missing": lambda err: _("This field is required."),
    "int_type": lambda err: _("Enter a whole number."),
    "int_parsing": lambda err: _("Enter a whole number."),
    "int_from_float": lambda err: _("Enter a whole number."),
    "float_type": lambda err: _("Enter a number."),
    "float_parsing": lambda err: _("Enter a number."),
    "bool_type": lambda err: _("Send true or false."),
    "bool_parsing": lambda err: _("Send true or false."),
    "string_type": lambda err: _("Send text."),
    "string_too_long": _too_long,
    "too_long": _too_long,
    "string_too_short": _too_short,
    "too_short": _too_short,
    "greater_than_equal": _bound(lambda: _("Ensure this value is greater than or equal to %(limit_value)s."), "ge"),
    "less_than_equal": _bound(lambda: _("Ensure this value is less than or equal to %(limit_value)s."), "le"),
    "greater_than": _bound(lambda: _("Ensure this value is greater than %(limit_value)s."), "gt"),
    "less_than": _bound(lambda: _("Ensure this value is less than %(limit_value)s."), "lt"),
    "literal_error": _choice,
    "enum": _choice,
    "datetime_type": lambda err: _("Enter a valid date/time."),
    "datetime_parsing": lambda err: _("Enter a valid date/time."),
    "datetime_from_date_parsing": lambda err: _("Enter a valid date/time."),
    "timezone_aware": lambda err: _("Give the time with its UTC offset, e.g. 2027-03-10T09:00:00+03:00."),
    "date_type": lambda err: _("Enter a valid date."),
    "date_parsing": lambda err: _("Enter a valid date."),
    "date_from_datetime_parsing": lambda err: _("Enter a valid date."),
    "dict_type": lambda err: _("Send a JSON object."),
    "model_type": lambda err: _("Send a JSON object."),
    "model_attributes_type": lambda err: _("Send a JSON object."),
    "list_type": lambda err: _("Send a JSON list."),
    "extra_forbidden": lambda err: _("Unknown field."),
    "value_error": _value_error,
}


def field_message(err: dict[str, Any]) -> str:
    """One pydantic error as a sentence in the active language (pydantic's own English when unknown)."""
    message = MESSAGES.get(str(err.get("type", "")))
    if message is None:
        return str(err.get("msg", "invalid"))
    try:
        return message(err)
    except (TypeError, ValueError):
        return str(err.get("msg", "invalid"))

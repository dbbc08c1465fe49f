"""Plain text: what people may type into names and free text, and how text is written out safely.

One rule for every form, API schema and import: no control characters (a line break only where the
field is free text) and no bidirectional override or isolate characters. Those are invisible: an
override turns "Ahmad‮gnp.exe" into what looks like another name on a badge, a board or a leads
file, and control characters (the terminal's escape codes among them) rewrite what an organiser's
terminal or spreadsheet shows. The left-to-right and right-to-left marks (U+200E, U+200F) and the
zero-width (non-)joiners stay allowed: Arabic and Kurdish text needs them to display correctly,
and they cannot reorder text around them.

No database here: forms, schemas, the import and the exports all use these functions.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

# C0 controls, DEL and C1 controls (a terminal reads U+009B as the start of an escape sequence).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# The same, less tab and line breaks, for free text (notes, descriptions, messages).
_CONTROL_MULTILINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Line and paragraph separators are line breaks too; unpaired surrogates no database stores.
_SEPARATORS = re.compile("[\u2028\u2029]")
_SURROGATES = re.compile("[\ud800-\udfff]")
# Embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069).
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")

CONTROL_MESSAGE = gettext_lazy("Remove the control characters (such as line breaks or escape codes) from this text.")
BIDI_MESSAGE = gettext_lazy("Remove the invisible characters that change the direction of text.")


def text_problem(value: str, *, multiline: bool = False) -> tuple[str, str] | None:
    """(code, message) of what makes `value` unacceptable as typed text, or None when it is fine."""
    control = _CONTROL_MULTILINE if multiline else _CONTROL
    if control.search(value) or _SURROGATES.search(value) or (not multiline and _SEPARATORS.search(value)):
        return "control_characters", str(CONTROL_MESSAGE)
    if _BIDI_CONTROLS.search(value):
        return "bidi_controls", str(BIDI_MESSAGE)
    return None


def validate_plain_text(value: Any) -> None:
    """Django validator for one-line text (names, organisations, titles)."""
    problem = text_problem(str(value))
    if problem is not None:
        raise ValidationError(problem[1], code=problem[0])


def validate_free_text(value: Any) -> None:
    """Django validator for free text, where line breaks and tabs are allowed (notes, messages)."""
    problem = text_problem(str(value), multiline=True)
    if problem is not None:
        raise ValidationError(problem[1], code=problem[0])


def _pydantic(multiline: bool) -> Any:
    def check(value: str) -> str:
        problem = text_problem(value, multiline=multiline)
        if problem is not None:
            # Translated when it is raised, into the language of the request.
            raise PydanticCustomError(problem[0], gettext(problem[1]).replace("{", "(").replace("}", ")"))
        return value

    return check


# For ninja schemas: Annotated[StrictStr, ..., PLAIN_LINE] or the ready-made types below.
PLAIN_LINE = AfterValidator(_pydantic(multiline=False))
PLAIN_TEXT = AfterValidator(_pydantic(multiline=True))
PlainLine = Annotated[str, PLAIN_LINE]
PlainText = Annotated[str, PLAIN_TEXT]


def printable(value: str) -> str:
    """`value` with every control and direction-changing character but tab and line feed replaced by
    U+FFFD, for writing to a terminal or a file: what was stored before the rule existed must not run
    as an escape code (ESC, CSI) or move the cursor (carriage return, backspace)."""
    value = _CONTROL_MULTILINE.sub("\ufffd", value).replace("\r", "\ufffd")
    value = _SEPARATORS.sub("\ufffd", value)
    value = _SURROGATES.sub("\ufffd", value)
    return _BIDI_CONTROLS.sub("\ufffd", value)

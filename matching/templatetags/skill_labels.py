"""`{{ name|skill_label }}`: a skill's English name (as board explanations carry it) in the page's language."""

from __future__ import annotations

from django import template

from matching.skill_names import label_for_name

register = template.Library()


@register.filter
def skill_label(name: str) -> str:
    return label_for_name(str(name or ""))

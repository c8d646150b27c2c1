"""The themes: design tokens a site picks from. CSS reads them as custom properties."""

import re
from dataclasses import dataclass

from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True)
class Theme:
    key: str
    label: str
    tokens: dict

    def css_variables(self, primary=None):
        """The tokens as CSS custom properties, for a <style> element (raw text: not to be
        HTML-escaped, so nothing in it may come from outside unchecked)."""
        tokens = dict(self.tokens)
        if primary and HEX_COLOR.fullmatch(primary):
            tokens["color-primary"] = primary
        return mark_safe(";".join(f"--{name}:{value}" for name, value in tokens.items()))  # noqa: S308


THEMES = {
    theme.key: theme
    for theme in (
        Theme(
            "bastide",
            _("Bastide (pierre et ocre)"),
            {
                "color-bg": "#fbf8f3",
                "color-surface": "#ffffff",
                "color-text": "#1f1a17",
                "color-muted": "#5b524b",
                "color-primary": "#8a4513",
                "color-primary-contrast": "#ffffff",
                "color-accent": "#c98a2b",
                "font-body": 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
                "font-heading": 'Georgia, "Times New Roman", serif',
                "step-0": "1.0625rem",
                "step-1": "1.3rem",
                "step-2": "1.6rem",
                "step-3": "2.1rem",
                "space": "1rem",
                "radius": "2px",
            },
        ),
        Theme(
            "dordogne",
            _("Dordogne (verts et bleus de la rivière)"),
            {
                "color-bg": "#f3f8f7",
                "color-surface": "#ffffff",
                "color-text": "#10211f",
                "color-muted": "#3e5552",
                "color-primary": "#0d5c63",
                "color-primary-contrast": "#ffffff",
                "color-accent": "#4f9d69",
                "font-body": '"Segoe UI", system-ui, -apple-system, Roboto, sans-serif',
                "font-heading": '"Segoe UI", system-ui, -apple-system, Roboto, sans-serif',
                "step-0": "1.0625rem",
                "step-1": "1.25rem",
                "step-2": "1.55rem",
                "step-3": "2rem",
                "space": "1.1rem",
                "radius": "12px",
            },
        ),
        Theme(
            "vignoble",
            _("Vignoble (rouges du vin)"),
            {
                "color-bg": "#fdf7f6",
                "color-surface": "#ffffff",
                "color-text": "#241316",
                "color-muted": "#5d4549",
                "color-primary": "#7b1e3a",
                "color-primary-contrast": "#ffffff",
                "color-accent": "#b5835a",
                "font-body": 'Charter, "Bitstream Charter", "Sitka Text", Cambria, serif',
                "font-heading": 'Charter, "Bitstream Charter", "Sitka Text", Cambria, serif',
                "step-0": "1.125rem",
                "step-1": "1.35rem",
                "step-2": "1.7rem",
                "step-3": "2.25rem",
                "space": "1rem",
                "radius": "6px",
            },
        ),
    )
}
DEFAULT_THEME = "bastide"
THEME_CHOICES = [(t.key, t.label) for t in THEMES.values()]

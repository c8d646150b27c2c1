"""Admin forms of the factory."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sitefactory.services.blueprints import BlueprintError, available_blueprints, load_blueprint


class BlueprintForm(forms.Form):
    blueprint = forms.ChoiceField(label=_("Modèle de site"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Le modèle habituel de chaque collectivité"))]
        for name in available_blueprints():
            try:
                choices.append((name, f"{load_blueprint(name).label} ({name})"))
            except BlueprintError:
                continue  # a broken blueprint is reported by the provision command
        self.fields["blueprint"].choices = choices

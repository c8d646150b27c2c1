"""Wagtail's InlinePanel, with a whole « Ajouter … » button label.

Wagtail builds the button from the child label (« Add %(label)s »), which its French catalogue
renders « Ajouter un(e) %(label)s »: French needs the article of each noun, so the label of
the button is given whole (« Ajouter une fermeture exceptionnelle »)."""

from wagtail.admin.panels import InlinePanel as WagtailInlinePanel


class InlinePanel(WagtailInlinePanel):
    def __init__(self, relation_name, *args, add_label="", **kwargs):
        super().__init__(relation_name, *args, **kwargs)
        self.add_label = add_label

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "add_label": self.add_label}

    class BoundPanel(WagtailInlinePanel.BoundPanel):
        template_name = "communes/admin/inline_panel.html"

"""The Occitan section in the admin: one menu « Occitan » with the lexicon, the expressions,
the themes, the speakers and the recordings.

Model permissions govern it (the Pays team, the partners' « Occitan — rédaction » and
« Occitan — relecture » groups; sitefactory/blueprints/pays.toml): the lexicon is the whole
Pays's (reach.declare_shared in occitan.apps), no collectivité's. Entries and expressions go
through the « Relecture occitane » workflow; their listings say where each one stands.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from communes.viewsets import ScopedChooserMixin, scoped_chooser_viewset
from occitan.admin_forms import EntryAdminForm, ExpressionAdminForm
from occitan.admin_views import LexiconWorkflowActionView
from occitan.models import Entry, Expression, Recording, Speaker, Theme
from occitan.services import review

EMPTY = "—"


def _label(value):
    """What a cell shows: French words, never None, True or False."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    return str(value)


def label_column(name, label, accessor):
    return Column(name, label=label, accessor=lambda obj: _label(accessor(obj)))


def status_column():
    return Column(
        "review_status",
        label=_("statut"),
        accessor=lambda obj: review.STATUS_LABELS[review.status_of(obj)],
    )


class EditorsChooserMixin(ScopedChooserMixin):
    """Wagtail's snippet choosers answer any admin user: these offer the lexicon (drafts
    included) to those who may edit it only, and nothing to a commune's secretary."""

    def scope(self, queryset):
        user = self.request.user
        actions = ("add", "change", "delete")
        if any(user.has_perm(f"occitan.{a}_{queryset.model._meta.model_name}") for a in actions):
            return queryset
        return queryset.none()


EditorsChooserViewSet = scoped_chooser_viewset(EditorsChooserMixin)


class OccitanSnippetViewSet(SnippetViewSet):
    copy_view_enabled = False
    search_backend_name = None
    chooser_viewset_class = EditorsChooserViewSet


class LexiconFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("statut"),
        choices=review.STATUS_FILTER_CHOICES,
        method="filter_status",
        empty_label=_("Tous"),
    )

    def filter_status(self, queryset, name, value):
        return review.filter_status(queryset, value)


class EntryFilterSet(LexiconFilterSet):
    class Meta:
        model = Entry
        fields = ["status", "theme", "dialect"]


class ExpressionFilterSet(LexiconFilterSet):
    class Meta:
        model = Expression
        fields = ["status", "theme", "dialect"]


def review_columns():
    """What the reviewers sort the lexicon by: dialect, theme, review status, machine
    suggestion, last change (entries and expressions alike)."""
    return [
        "dialect",
        label_column("theme", _("thème"), lambda o: o.theme),
        status_column(),
        label_column(
            "machine_suggestion", _("suggestion automatique"), lambda o: o.machine_suggestion
        ),
        DateColumn("updated_at", label=_("modifié le"), sort_key="updated_at"),
    ]


class LexiconViewSet(OccitanSnippetViewSet):
    """What the lexicon's two listings share: status, search by French and Occitan (the
    folded keys find « ostal » for « òstal »), filters by status, theme and dialect."""

    list_per_page = 50
    workflow_action_view_class = LexiconWorkflowActionView

    def get_queryset(self, request):
        return review.with_review_state(self.model.objects.select_related("theme", "recording"))


class EntryViewSet(LexiconViewSet):
    model = Entry
    icon = "openquote"
    menu_label = _("Lexique")
    menu_name = "occitan-entries"
    edit_handler = ObjectList(Entry.panels, base_form_class=EntryAdminForm)
    filterset_class = EntryFilterSet
    search_fields = ["french", "occitan", "variant_gascon", "variant_lemosin", "fr_key", "oc_key"]
    ordering = ["fr_key"]
    list_display = [
        "french",
        "occitan",
        label_column("variant_gascon", _("forme gasconne"), lambda o: o.variant_gascon),
        *review_columns(),
    ]


class ExpressionViewSet(LexiconViewSet):
    model = Expression
    icon = "openquote"
    menu_label = _("Expressions")
    menu_name = "occitan-expressions"
    edit_handler = ObjectList(Expression.panels, base_form_class=ExpressionAdminForm)
    filterset_class = ExpressionFilterSet
    search_fields = ["occitan", "literal", "meaning", "fr_key", "oc_key"]
    ordering = ["oc_key"]
    list_display = [
        "occitan",
        "literal",
        *review_columns(),
    ]


class ThemeViewSet(OccitanSnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = _("Thèmes")
    menu_name = "occitan-themes"
    search_fields = ["name", "name_oc"]
    list_display = [
        "name",
        label_column("name_oc", _("nom en occitan"), lambda o: o.name_oc),
        "sort_order",
    ]


class SpeakerViewSet(OccitanSnippetViewSet):
    model = Speaker
    icon = "user"
    menu_label = _("Locuteurs")
    menu_name = "occitan-speakers"
    search_fields = ["name", "place"]
    list_display = [
        "name",
        label_column("place", _("commune"), lambda o: o.place),
        label_column("synthetic", _("voix de synthèse"), lambda o: o.synthetic),
        label_column("consent_on", _("accord de diffusion le"), lambda o: o.consent_on),
    ]


class RecordingViewSet(OccitanSnippetViewSet):
    model = Recording
    icon = "media"
    menu_label = _("Enregistrements")
    menu_name = "occitan-recordings"
    search_fields = ["title", "transcript", "place"]
    list_display = [
        "title",
        label_column("speaker", _("locuteur"), lambda o: o.speaker),
        label_column(
            "transcript",
            _("transcription"),
            lambda o: _("oui") if o.transcript.strip() else _("à écrire"),
        ),
        "status",
        DateColumn("created_at", label=_("ajouté le"), sort_key="created_at"),
    ]

    def get_queryset(self, request):
        return Recording.objects.select_related("speaker")


class OccitanViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Occitan")
    menu_icon = "openquote"
    menu_name = "occitan"
    menu_order = 260
    items = (EntryViewSet, ExpressionViewSet, ThemeViewSet, SpeakerViewSet, RecordingViewSet)

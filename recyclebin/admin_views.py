"""The recycle bin in the admin: the list of deleted pages and their restoration, and the
admin's page deletion (one page, or a bulk action) answered by moving the pages to the bin.

Every view narrows the bin to the user's tenancy first (recyclebin.services.entries_for):
an entry of another collectivité is a 404, as if it did not exist.
"""

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import ListView, TemplateView
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.pages.utils import type_to_delete_confirmation
from wagtail.models import Page

from communes.admin_guard import tenancy_checked_by_view
from communes.tenancy import tenancy_for
from recyclebin.services import RestoreError, entries_for, in_bin, move_to_bin, restore


class RecycleBinMixin(WagtailAdminTemplateMixin):
    header_icon = "bin"

    def entries(self):
        return entries_for(tenancy_for(self.request))

    def get_breadcrumbs_items(self):
        items = [
            *self.breadcrumbs_items,
            {"url": reverse("recyclebin:index"), "label": _("Corbeille")},
        ]
        if self.page_title != _("Corbeille"):
            items.append({"url": "", "label": self.page_title})
        return items


@tenancy_checked_by_view("lists the entries of the user's collectivités only (entries_for)")
class IndexView(RecycleBinMixin, ListView):
    template_name = "recyclebin/index.html"
    page_title = _("Corbeille")
    paginate_by = 50
    context_object_name = "entries"

    def get_queryset(self):
        return self.entries()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["retention_days"] = settings.RECYCLE_BIN_RETENTION_DAYS
        context["show_collectivite"] = tenancy_for(self.request).is_pays_staff
        return context


@tenancy_checked_by_view("finds the entry among the user's collectivités only: 404 otherwise")
class RestoreView(RecycleBinMixin, TemplateView):
    template_name = "recyclebin/confirm_restore.html"
    page_title = _("Restaurer une page")

    def dispatch(self, request, *args, **kwargs):
        self.entry = get_object_or_404(self.entries(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(entry=self.entry, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            restored = restore(self.entry, user=request.user)
        except RestoreError as exc:
            messages.error(request, _("Restauration impossible : %(reason)s.") % {"reason": exc})
            return redirect("recyclebin:index")
        message = _("Page « %(title)s » restaurée.") % {"title": restored.page.title}
        if restored.slug_changed:
            message = _(
                "Page « %(title)s » restaurée ; son adresse était prise, elle devient « %(slug)s »."
            ) % {"title": restored.page.title, "slug": restored.page.slug}
        messages.success(request, message)
        return redirect("wagtailadmin_explore", restored.parent.pk)


def delete_to_recycle_bin(request, page):
    if request.method != "POST" or not type_to_delete_confirmation(request):
        return None  # Wagtail's confirmation page, or its "type the site name" check
    parent_id = page.get_parent().pk
    move_to_bin(page, user=request.user)
    messages.success(
        request,
        _("Page « %(title)s » placée dans la corbeille.")
        % {"title": page.get_admin_display_title()},
        buttons=[messages.button(reverse("recyclebin:index"), _("Voir la corbeille"))],
    )
    return redirect(
        get_valid_next_url_from_request(request)
        or reverse("wagtailadmin_explore", args=[parent_id])
    )


def bulk_delete_to_recycle_bin(request, action_type, objects, action_class_instance):
    if action_type != "delete" or not issubclass(action_class_instance.model, Page):
        return None
    for page in objects:
        if not in_bin(Page.objects.get(pk=page.pk)):  # a subpage of one already binned
            move_to_bin(page, user=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)d page placée dans la corbeille.",
            "%(count)d pages placées dans la corbeille.",
            len(objects),
        )
        % {"count": len(objects)},
    )
    return redirect(action_class_instance.next_url)

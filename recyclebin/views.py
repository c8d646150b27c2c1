"""The recycle bin in the admin: the list of deleted pages and their restoration.

Every view narrows the bin to the user's tenancy first (recyclebin.services.entries_for):
an entry of another collectivité is a 404, as if it did not exist.
"""

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from communes.admin_guard import tenancy_checked_by_view
from communes.tenancy import tenancy_for
from recyclebin.services import RestoreError, entries_for, restore


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

from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.pages.utils import type_to_delete_confirmation
from wagtail.models import Page

from recyclebin import urls
from recyclebin.services import bin_filter, in_bin, move_to_bin


@hooks.register("register_admin_urls")
def register_recycle_bin_urls():
    return [path("corbeille/", include(urls, namespace="recyclebin"))]


@hooks.register("register_admin_menu_item")
def register_recycle_bin_menu_item():
    return MenuItem(_("Corbeille"), reverse("recyclebin:index"), icon_name="bin", order=9000)


@hooks.register("before_delete_page")
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


@hooks.register("before_bulk_action")
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


@hooks.register("construct_explorer_page_queryset")
def hide_recycle_bin_from_explorer(parent_page, pages, request):
    # Binned pages are reached from the bin's own listing, not by browsing the tree.
    return pages.exclude(bin_filter())


@hooks.register("construct_page_chooser_queryset")
def hide_recycle_bin_from_chooser(pages, request):
    return pages.exclude(bin_filter())

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from recyclebin import admin_urls
from recyclebin.admin_views import bulk_delete_to_recycle_bin, delete_to_recycle_bin
from recyclebin.services import bin_filter


@hooks.register("register_admin_urls")
def register_recycle_bin_urls():
    return [path("corbeille/", include(admin_urls, namespace="recyclebin"))]


@hooks.register("register_admin_menu_item")
def register_recycle_bin_menu_item():
    return MenuItem(_("Corbeille"), reverse("recyclebin:index"), icon_name="bin", order=9000)


hooks.register("before_delete_page", delete_to_recycle_bin)
hooks.register("before_bulk_action", bulk_delete_to_recycle_bin)


@hooks.register("construct_explorer_page_queryset")
def hide_recycle_bin_from_explorer(parent_page, pages, request):
    # Binned pages are reached from the bin's own listing, not by browsing the tree.
    return pages.exclude(bin_filter())


@hooks.register("construct_page_chooser_queryset")
def hide_recycle_bin_from_chooser(pages, request):
    return pages.exclude(bin_filter())

"""Admin menu items shown to the Pays team only (the views behind them check it again)."""

from wagtail.admin.menu import MenuItem

from communes.tenancy import tenancy_for


class PaysStaffMenuItem(MenuItem):
    def is_shown(self, request):
        return tenancy_for(request).is_pays_staff

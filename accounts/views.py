"""The lockout page: django-axes' answer to a locked account or address
(settings.AXES_LOCKOUT_CALLABLE), shown instead of the login page, before any admin view."""

from axes.helpers import get_cool_off
from django.conf import settings
from django.shortcuts import render


def lockout(request, original_response=None, credentials=None):
    """django-axes' answer to a locked account or address, in the login page's look."""
    cool_off = get_cool_off(request)
    return render(
        request,
        "accounts/lockout.html",
        {"minutes": int(cool_off.total_seconds() // 60) if cool_off else None},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )

"""Two-factor authentication for the admin: a TOTP app, and one-time recovery codes.

Built on django-otp: a confirmed TOTPDevice is the authenticator app, a StaticDevice named
RECOVERY holds the recovery codes (each token is deleted when used). django-otp remembers in
the session which device verified it, so the second factor is asked once per session.
"""

import base64

import segno
from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from communes.tenancy import tenancy_for

RECOVERY = "recovery"
RECOVERY_CODES = 10
APP = "app"


def is_required(user):
    """Whether this user may not use the admin without a second factor."""
    if not user.is_authenticated:
        return False
    if tenancy_for(user).is_pays_staff:
        return settings.BASTIDE_2FA_REQUIRED_FOR_STAFF
    return settings.BASTIDE_2FA_REQUIRED_FOR_SECRETARIES


def is_enrolled(user):
    return user_has_device(user, confirmed=True)


def pending_device(user):
    """The TOTP device being enrolled: the same secret until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP, confirmed=False)
    return device


def secret_text(device):
    """The key as authenticator apps take it when typed: base32, in groups of four."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device):
    """The otpauth:// URL as an inline SVG: drawn here, nothing asked of another site."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", omitsize=False, title="QR code"
    )


@transaction.atomic
def confirm(device, token):
    """Confirm an enrolment with a code of the app; returns the new recovery codes, or None."""
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return new_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(user):
    """Replace the user's recovery codes; the plain codes are returned once, to be shown."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY).count()


@transaction.atomic
def reset(user):
    """Forget every device of the user (a lost phone): they enrol again at the next login."""
    count = 0
    for device in devices_for_user(user, confirmed=None):
        device.delete()
        count += 1
    return count


def verify(user, code):
    """The device that accepts `code` (app code or recovery code), or None.

    Each device counts its own failures and makes the next try wait longer (django-otp's
    throttling), so codes cannot be tried at speed.
    """
    code = "".join(code.split()).lower()
    if not code:
        return None
    model = TOTPDevice if code.isdigit() else StaticDevice
    with transaction.atomic():
        for device in model.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(code):
                return device
    return None

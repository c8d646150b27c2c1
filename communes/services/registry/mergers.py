"""A commune nouvelle: the communes merged into it keep everything, and their editors are told.

Nothing is deleted. The merged commune keeps its collectivité, its site, its pages and its
groups (its secretary may still be publishing the last council's minutes); it is marked as
merged into its parent, and what becomes of its site is for the Pays team to decide.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.services.registry.report import UNCHANGED, UPDATED, Change

KIND_LABELS = {
    "COMD": gettext_lazy("commune déléguée"),
    "COMA": gettext_lazy("commune associée"),
}


def mark_merged(commune, parent, kind, report) -> str:
    if commune.merged_into_id == parent.pk:
        return UNCHANGED
    commune.merged_into = parent
    commune.merged_at = timezone.now()
    commune.save(update_fields=["merged_into", "merged_at"])
    report.changes.append(
        Change(commune.code, commune.name, "merged", new=f"{parent.code} {parent.name}")
    )
    emails = notify_editors(commune, parent, kind)
    if emails:
        report.notified.append(
            _("  %(code)s %(name)s : prévenus %(emails)s")
            % {"code": commune.code, "name": commune.name, "emails": ", ".join(emails)}
        )
    return UPDATED


def editors_of(commune):
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__collectivite_link__collectivite=commune)
        .exclude(email="")
        .distinct()
        .order_by("email")
    )


def notify_editors(commune, parent, kind) -> list[str]:
    """One email to each editor of the merged commune, sent once the change is committed (a
    dry run, rolled back, sends nothing)."""
    emails = list(editors_of(commune).values_list("email", flat=True))
    if not emails:
        return []
    context = {
        "commune": commune.name,
        "code": commune.code,
        "parent": parent.name,
        "parent_code": parent.code,
        "kind": KIND_LABELS.get(kind, KIND_LABELS["COMD"]),
        "site": commune.url or _("(pas encore de site)"),
    }
    subject = _("%(commune)s est désormais %(kind)s de %(parent)s") % context
    body = (
        _(
            "Bonjour,\n\n"
            "D'après le Code officiel géographique de l'INSEE, %(commune)s (%(code)s) a "
            "rejoint la commune nouvelle %(parent)s (%(parent_code)s) ; elle en est désormais "
            "%(kind)s.\n\n"
            "Rien n'a été supprimé : le site %(site)s, ses pages et ses documents restent "
            "en ligne et vous pouvez continuer à les modifier. L'équipe du Pays reviendra "
            "vers vous pour décider de leur avenir (rattachement au site de la commune "
            "nouvelle ou archivage).\n\n"
            "— Registre des collectivités de Bastide"
        )
        % context
    )
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [email]) for email in emails]
    transaction.on_commit(lambda: send_mass_mail(messages), robust=True)
    return emails

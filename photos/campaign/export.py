"""The accepted photos as a batch ready for Wikimedia Commons: a ZIP of the files, one
wikitext page per file ({{Information}} and the licence the author chose) and a CSV of the
descriptions, for an upload with the UploadWizard or Pattypan."""

import csv
import io
import re
import zipfile

from django.utils import timezone

from communes.exports import neutralise_formula
from photos.models import PhotoSubmission

LICENCE_TEMPLATES = {
    PhotoSubmission.Licence.CC_BY_SA: "{{self|cc-by-sa-4.0}}",
    PhotoSubmission.Licence.CC0: "{{self|cc-zero}}",
}
# Characters Commons refuses in a file name.
_UNSAFE = re.compile(r"[#<>\[\]|{}:/\\\x00-\x1f]+")


def _plain(text):
    """Sender's text inside wikitext: no markup of theirs is read as markup."""
    return "<nowiki>" + text.replace("</nowiki", "&lt;/nowiki").strip() + "</nowiki>"


def commons_name(submission):
    extension = submission.file.name.rsplit(".", 1)[-1].lower()
    title = _UNSAFE.sub(" ", f"{submission.collectivite.name} - {submission.title}")
    title = re.sub(r"\s+", " ", title).strip()[:200]
    return f"{title} ({submission.pk}).{extension}"


def wikitext(submission):
    date = submission.taken_on or timezone.localdate(submission.created_at)
    return (
        "=={{int:filedesc}}==\n"
        "{{Information\n"
        f"|description={{{{fr|1={_plain(submission.description)}}}}}\n"
        f"|date={date.isoformat()}\n"
        "|source={{own}}\n"
        f"|author={_plain(submission.author_name)}\n"
        "}}\n\n"
        "=={{int:license-header}}==\n"
        f"{LICENCE_TEMPLATES[submission.licence]}\n\n"
        f"[[Category:{_UNSAFE.sub(' ', submission.collectivite.name).strip()}]]\n"
    )


def commons_batch(submissions):
    """The ZIP's bytes: files/<name>, wikitext/<name>.txt and descriptions.csv."""
    buffer = io.BytesIO()
    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow(["fichier", "commune", "titre", "description", "auteur", "date", "licence"])
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for submission in submissions:
            name = commons_name(submission)
            with submission.file.open("rb") as handle:
                archive.writestr(f"files/{name}", handle.read())
            archive.writestr(f"wikitext/{name}.txt", wikitext(submission))
            date = submission.taken_on or timezone.localdate(submission.created_at)
            row = [
                name,
                submission.collectivite.name,
                submission.title,
                submission.description,
                submission.author_name,
                date.isoformat(),
                submission.get_licence_display(),
            ]
            writer.writerow([neutralise_formula(str(value)) for value in row])
        archive.writestr("descriptions.csv", table.getvalue())
    return buffer.getvalue()

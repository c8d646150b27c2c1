"""What the admin accepts as an image or a document, checked before anything is stored.

Wagtail's own checks stay (extensions, WAGTAILIMAGES_MAX_* and WAGTAILDOCS_MAX_UPLOAD_SIZE);
the forms here add what they miss: an image too large for Pillow to even open is a form error
rather than a server error, and a document's bytes must be of the kind its extension claims
(an executable renamed `.pdf` is refused). Every upload path of the admin goes through these
forms: add, multiple upload, the choosers' upload and the replacement of a file on edit, as
Wagtail builds them all from WAGTAILIMAGES_IMAGE_FORM_BASE and WAGTAILDOCS_DOCUMENT_FORM_BASE.
"""

import posixpath
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from wagtail.documents.fields import WagtailDocumentField
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

# -- Images -----------------------------------------------------------------------------------


class SiteImageField(WagtailImageField):
    def check_image_pixel_size(self, f):
        # Pillow refuses to open an image declaring more than twice its MAX_IMAGE_PIXELS (a
        # decompression bomb), before Wagtail can compare the size with its own limit.
        try:
            super().check_image_pixel_size(f)
        except PILImage.DecompressionBombError as exc:
            raise ValidationError(
                _(
                    "Cette image a un trop grand nombre de pixels. "
                    "Nombre maximum de pixels : %(max_pixels)s."
                ),
                code="file_too_many_pixels",
                params={"max_pixels": self.max_image_pixels},
            ) from exc
        except (OSError, SyntaxError, ValueError) as exc:  # a header Pillow cannot read
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from exc


class SiteImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _swap_file_field(self, SiteImageField)
        # Wagtail's « Description » is the alternative text the pages give the image (a
        # photo of Commons gets its Commons description, shortened, until someone edits it).
        description = self.fields.get("description")
        if description is not None:
            description.label = _("Texte alternatif (décrit l'image)")
            description.help_text = _(
                "Ce que l'image montre, en une phrase, pour les personnes qui ne la voient pas "
                "(lu par les lecteurs d'écran, affiché si l'image ne se charge pas). Inutile de "
                "commencer par « Photo de »."
            )


# -- Documents --------------------------------------------------------------------------------

ODF_MIMETYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
}
OOXML_FOLDERS = {"docx": "word/", "xlsx": "xl/"}
TEXT_EXTENSIONS = {"csv", "txt"}
# What a mairie never needs to publish inside an archive, and what a visitor's computer runs
# when opened.
EXECUTABLE_EXTENSIONS = {
    "exe", "com", "bat", "cmd", "scr", "msi", "msp", "dll", "cpl", "pif", "lnk", "jar",
    "js", "jse", "vbs", "vbe", "wsf", "wsh", "hta", "ps1", "psm1", "reg", "sh", "app", "apk",
}  # fmt: skip
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")


def document_content_error(name, handle):
    """Why the bytes in `handle` are not a document of the kind `name`'s extension says,
    or None when they are. Unknown extensions are left to Wagtail's extension check."""
    extension = posixpath.splitext(name or "")[1].lower().lstrip(".")
    handle.seek(0)
    head = handle.read(8)
    handle.seek(0)
    kind = extension.upper()
    if head.startswith(EXECUTABLE_MAGIC):
        return _("Ce fichier est un programme, pas un document %(kind)s.") % {"kind": kind}
    if extension == "pdf":
        if not head.startswith(b"%PDF-"):
            return _("Ce fichier n'est pas un PDF : son contenu ne correspond pas à l'extension.")
        return None
    if extension in TEXT_EXTENSIONS:
        return _text_error(handle, kind)
    if extension in ODF_MIMETYPES or extension in OOXML_FOLDERS or extension == "zip":
        return _archive_error(handle, extension, kind)
    return None


def _text_error(handle, kind):
    raw = handle.read()
    handle.seek(0)
    if b"\0" in raw:
        return _("Ce fichier n'est pas un texte %(kind)s : il contient des données binaires.") % {
            "kind": kind
        }
    for encoding in ("utf-8", "cp1252"):
        try:
            raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return None
    return _("Ce fichier %(kind)s n'est ni en UTF-8 ni en Windows-1252.") % {"kind": kind}


def _archive_error(handle, extension, kind):
    not_kind = _("Ce fichier n'est pas un document %(kind)s valide.") % {"kind": kind}
    try:
        with zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
            names = [member.filename for member in members]
            if extension in ODF_MIMETYPES:
                # The ODF rule: the first member is `mimetype`, holding the document's type.
                if not names or names[0] != "mimetype" or members[0].file_size > 100:
                    return not_kind
                if archive.read("mimetype").strip() != ODF_MIMETYPES[extension]:
                    return not_kind
            elif extension in OOXML_FOLDERS:
                folder = OOXML_FOLDERS[extension]
                if "[Content_Types].xml" not in names or not any(
                    n.startswith(folder) for n in names
                ):
                    return not_kind
            else:
                executables = [
                    n
                    for n in names
                    if posixpath.splitext(n)[1].lower().lstrip(".") in EXECUTABLE_EXTENSIONS
                ]
                if executables:
                    return _(
                        "Cette archive contient un programme (%(name)s) : "
                        "elle ne peut pas être publiée."
                    ) % {"name": posixpath.basename(executables[0])}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError, KeyError, EOFError):
        return not_kind
    finally:
        handle.seek(0)
    return None


class SiteDocumentField(WagtailDocumentField):
    def to_python(self, data):
        f = super().to_python(data)
        if isinstance(f, UploadedFile):
            error = document_content_error(f.name, f)
            if error:
                raise ValidationError(error, code="content_does_not_match_extension")
        return f


class SiteDocumentForm(BaseDocumentForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _swap_file_field(self, SiteDocumentField)


def _swap_file_field(form, field_class):
    """Our field in place of Wagtail's, keeping its label, widget and requirement. (Declaring
    `file` on the form would put it back in the multiple uploader's edit form, which leaves
    the file out.)"""
    field = form.fields.get("file")
    if field is None or isinstance(field, field_class):
        return
    form.fields["file"] = field_class(
        label=field.label, required=field.required, widget=field.widget
    )

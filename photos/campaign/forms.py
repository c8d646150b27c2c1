"""The public form of the « appel à photos »: a photo checked by its bytes, a free licence
chosen knowingly, and the same guards against robots as the contact form."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from PIL import Image as PILImage

from communes.models import Collectivite
from communes.public_forms import CONSENT, HONEYPOT, honeypot_field
from photos.models import PhotoSubmission

FORMATS = {"JPEG": "jpg", "PNG": "png"}
LICENCE_CHOICES = [
    (
        PhotoSubmission.Licence.CC_BY_SA,
        _(
            "CC BY-SA 4.0 — chacun peut réutiliser la photo, y compris commercialement, à "
            "condition de vous citer comme auteur et de partager ses modifications sous la "
            "même licence."
        ),
    ),
    (
        PhotoSubmission.Licence.CC0,
        _(
            "CC0 — vous renoncez à vos droits d'auteur : chacun peut réutiliser la photo "
            "librement, sans obligation de vous citer."
        ),
    ),
]


def commune_choices():
    """The communes that have a site, by name; their INSEE code is the value."""
    communes = (
        Collectivite.objects.filter(kind=Collectivite.Kind.COMMUNE, merged_into=None)
        .exclude(site=None)
        .exclude(status=Collectivite.Status.ARCHIVED)
        .order_by("name")
        .values_list("code", "name")
    )
    return [("", _("Choisissez une commune")), *communes]


def retention_text():
    days = settings.PHOTO_SUBMISSION_REFUSED_RETENTION_DAYS
    return ngettext("%(count)s jour", "%(count)s jours", days) % {"count": days}


def photo_error(upload):
    """Why `upload` is not a photo we accept (French, for the sender), or None. Read by its
    bytes: the name and the type the browser gives prove nothing."""
    limit = settings.PHOTO_SUBMISSION_MAX_BYTES
    if upload.size > limit:
        return _("La photo est trop lourde (%(size)s) : la taille maximale est %(max)s.") % {
            "size": filesizeformat(upload.size),
            "max": filesizeformat(limit),
        }
    not_a_photo = _("Ce fichier n'est pas une photo JPEG ou PNG lisible.")
    try:
        upload.seek(0)
        with PILImage.open(upload) as image:
            kind = image.format
            width, height = image.size
            image.verify()
    except PILImage.DecompressionBombError:
        return _("Cette photo a beaucoup trop de pixels pour être traitée.")
    except (OSError, SyntaxError, ValueError):
        return not_a_photo
    finally:
        upload.seek(0)
    if kind not in FORMATS:
        return _(
            "Seules les photos au format JPEG ou PNG sont acceptées (ce fichier est en %(kind)s)."
        ) % {"kind": kind or "?"}
    if width * height > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
        return _("Cette photo a trop de pixels (%(count)s millions au plus).") % {
            "count": settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS // 1_000_000
        }
    upload.bastide_size = (width, height)
    return None


class PhotoSubmissionForm(forms.Form):
    commune = forms.ChoiceField(
        label=_("Commune photographiée"),
        error_messages={"required": _("Choisissez la commune que montre la photo.")},
    )
    photo = forms.FileField(
        label=_("Photo"),
        help_text=_("Au format JPEG ou PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
        error_messages={"required": _("Joignez la photo.")},
    )
    title = forms.CharField(
        label=_("Titre"),
        max_length=200,
        help_text=_("Par exemple : « L'église Saint-Martin vue de la place »."),
        error_messages={"required": _("Donnez un titre à la photo.")},
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Ce que montre la photo, le lieu précis : elle servira aussi de texte "
            "alternatif pour les personnes qui ne la voient pas."
        ),
        error_messages={"required": _("Décrivez ce que montre la photo.")},
    )
    taken_on = forms.DateField(
        label=_("Date de la prise de vue"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Saisissez une date valide, par exemple 14/07/2025.")},
    )
    author_name = forms.CharField(
        label=_("Votre nom (publié comme auteur de la photo)"),
        max_length=150,
        error_messages={"required": _("Indiquez votre nom : il sera cité comme auteur.")},
    )
    email = forms.EmailField(
        label=_("Votre adresse électronique (jamais publiée)"),
        help_text=_("Pour vous prévenir quand la photo est publiée, ou vous poser une question."),
        error_messages={
            "required": _("Indiquez votre adresse électronique."),
            "invalid": _("Saisissez une adresse électronique valide, par exemple nom@exemple.fr."),
        },
    )
    licence = forms.ChoiceField(
        label=_("Licence de la photo"),
        choices=LICENCE_CHOICES,
        widget=forms.RadioSelect,
        help_text=_(
            "Les deux licences permettent de publier la photo sur le site de la commune "
            "et sur Wikimedia Commons."
        ),
        error_messages={"required": _("Choisissez la licence sous laquelle vous donnez la photo.")},
    )
    is_author = forms.BooleanField(
        label=_(
            "Je suis l'auteur de cette photo et j'accepte de la publier sous la licence choisie."
        ),
        error_messages={
            "required": _(
                "Seul l'auteur de la photo peut la proposer : cochez cette case si c'est vous."
            )
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = commune_choices()
        self.fields[HONEYPOT] = honeypot_field()
        self.fields[CONSENT] = forms.BooleanField(
            label=_(
                "J'accepte que le Pays garde ces informations le temps de traiter ma "
                "proposition. Une photo refusée est effacée %(period)s après la décision."
            )
            % {"period": retention_text()},
            error_messages={"required": _("Cochez cette case pour envoyer votre photo.")},
        )

    def clean_photo(self):
        upload = self.cleaned_data["photo"]
        error = photo_error(upload)
        if error:
            raise forms.ValidationError(error, code="invalid_photo")
        return upload

    def clean_commune(self):
        code = self.cleaned_data["commune"]
        commune = Collectivite.objects.filter(code=code).first()
        if commune is None:
            raise forms.ValidationError(_("Choisissez une commune de la liste."))
        return commune

    def save(self):
        data = self.cleaned_data
        upload = data["photo"]
        width, height = getattr(upload, "bastide_size", (0, 0))
        submission = PhotoSubmission(
            collectivite=data["commune"],
            original_name=(upload.name or "")[:255],
            width=width,
            height=height,
            title=data["title"].strip(),
            description=data["description"].strip(),
            taken_on=data.get("taken_on"),
            author_name=data["author_name"].strip(),
            email=data["email"],
            licence=data["licence"],
        )
        submission.file.save(upload.name or "photo.jpg", upload, save=False)
        submission.save()
        return submission

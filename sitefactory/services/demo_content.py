"""Demo content for every provisioned commune: written for the demo, clearly fictional.

Only `make seed` / `make demo` call this. It fills what a mairie publishes (hours, elected
officials, news, events, council meetings with minutes, a bulletin, local life, a banner)
so that every page type shows something. Idempotent: a site that already has news is left
alone.
"""

import datetime
import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw

from communes.models import (
    Banner,
    BulletinPage,
    Collectivite,
    ContactPage,
    CouncilMeetingPage,
    Deliberation,
    EventPage,
    HoursException,
    LocalEntry,
    MairiePage,
    NewsPage,
    Official,
    OpeningHours,
    SiteDocument,
    SiteImage,
)
from sitefactory.models import ProvisionedPage
from sitefactory.services.provisioning import enqueue_indexing
from sitefactory.services.revisions import add_revisions, rewrite_revisions
from sitefactory.services.tree import Node, insert_subtree
from themes.models import ThemeSettings

T = datetime.time


@dataclass
class DemoContentReport:
    filled: int = 0
    skipped: int = 0


def minimal_pdf(lines: list[str], per_page=50, size=12, leading=16) -> bytes:
    """A small valid PDF whose text can be extracted (Helvetica, WinAnsi), `per_page` lines
    to an A4 page."""

    def esc(text):
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    pages = [lines[i : i + per_page] for i in range(0, len(lines), per_page)] or [[]]
    # 1 catalog, 2 pages, 3 font, then (page, content) pairs.
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, page in enumerate(pages):
        stream = f"BT /F1 {size} Tf 50 790 Td {leading} TL " + " ".join(
            f"({esc(t)}) '" for t in page
        )
        content = (stream + " ET").encode("cp1252", errors="replace")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {5 + 2 * i} 0 R "
            "/Resources << /Font << /F1 3 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def landscape_jpeg(seed: int, width=1200, height=700) -> bytes:
    """An abstract landscape (sky, hills, river) that stands in for a photo of the commune."""
    image = PILImage.new("RGB", (width, height), (170, 200, 225))
    draw = ImageDraw.Draw(image)
    hue = seed % 40
    draw.rectangle([0, int(height * 0.55), width, height], fill=(110 + hue, 140, 80))
    for i in range(4):
        top = int(height * (0.35 + 0.07 * i))
        draw.ellipse(
            [-200 + i * 350 + hue * 3, top, 500 + i * 350 + hue * 3, top + 500],
            fill=(90 + 15 * i, 120 + hue, 70),
        )
    draw.rectangle([0, int(height * 0.8), width, int(height * 0.86)], fill=(90, 140, 170))
    draw.rectangle(
        [int(width * 0.6), int(height * 0.42), int(width * 0.66), int(height * 0.62)],
        fill=(220, 200, 160),
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


THEME_ROTATION = ["bastide", "dordogne", "vignoble"]


def create_demo_content(collectivites=None) -> DemoContentReport:
    report = DemoContentReport()
    queryset = collectivites or Collectivite.objects.members().provisioned()
    communes = queryset.filter(kind=Collectivite.Kind.COMMUNE).select_related("epci")
    for position, collectivite in enumerate(communes.order_by("name")):
        with transaction.atomic():
            # Neighbouring communes in three different looks, so the themes show.
            ThemeSettings.objects.get_or_create(
                site_id=collectivite.site_id,
                defaults={"theme": THEME_ROTATION[position % len(THEME_ROTATION)]},
            )
            if _fill(collectivite):
                report.filled += 1
            else:
                report.skipped += 1
    return report


def _page(collectivite, key):
    record = ProvisionedPage.objects.filter(collectivite=collectivite, key=key).first()
    return record.page.specific if record and record.page_id else None


def _fill(c: Collectivite) -> bool:
    home = c.home_page.specific if c.home_page_id else None
    news_index = _page(c, "actualites")
    if home is None or news_index is None:
        return False
    if NewsPage.objects.child_of(news_index).exists():
        return False
    now = timezone.now()
    today = timezone.localdate()
    seed = int(c.code[-3:]) if c.code[-3:].isdigit() else 7

    photo = SiteImage(
        file=ImageFile(io.BytesIO(landscape_jpeg(seed)), name=f"{c.slug}-paysage.jpg"),
        title=f"{c.name} — vue d'ensemble (illustration)",
        description=f"Illustration : collines et rivière évoquant le paysage de {c.name}",
        collection_id=c.collection_id,
        credit="Bastide (image de démonstration)",
        licence="CC0",
    )
    photo.save()
    home.photo = photo
    demarches = [_page(c, key) for key in ("acte-naissance", "listes-electorales", "urbanisme")]
    home.quick_links = [
        {"type": "link", "value": {"page": d.pk, "label": ""}} for d in demarches if d
    ]
    home.save(update_fields=["photo", "quick_links"])

    mairie = _page(c, "mairie")
    if isinstance(mairie, MairiePage):
        mairie.phone = f"05 53 {seed % 90 + 10:02d} {seed % 70 + 20:02d} 00"
        mairie.email = f"mairie@{c.hostname}"
        mairie.latitude, mairie.longitude = c.latitude, c.longitude
        mairie.save(update_fields=["phone", "email", "latitude", "longitude"])
        hours = []
        for weekday in range(5):
            afternoon = weekday in (1, 3)
            hours.append(
                OpeningHours(
                    page=mairie,
                    weekday=weekday,
                    sort_order=weekday,
                    morning_open=T(9),
                    morning_close=T(12),
                    afternoon_open=T(14) if afternoon else None,
                    afternoon_close=T(17, 30) if afternoon else None,
                )
            )
        OpeningHours.objects.bulk_create(hours)
        HoursException.objects.bulk_create(
            [
                HoursException(
                    page=mairie,
                    date_from=datetime.date(today.year, 12, 25),
                    label="Noël",
                    closed=True,
                    sort_order=0,
                ),
                HoursException(
                    page=mairie,
                    date_from=datetime.date(today.year, 12, 26),
                    date_to=datetime.date(today.year + 1, 1, 2),
                    label="congés de fin d'année (horaires réduits)",
                    closed=False,
                    morning_open=T(9),
                    morning_close=T(11),
                    sort_order=1,
                ),
            ]
        )
        Official.objects.bulk_create(
            [
                Official(
                    page=mairie,
                    name="Claire Exemple",
                    role="Maire",
                    sort_order=0,
                    delegations="Finances, personnel communal",
                ),
                Official(
                    page=mairie,
                    name="Marc Démo",
                    role="1er adjoint",
                    sort_order=1,
                    delegations="Voirie, travaux, cimetière",
                ),
                Official(
                    page=mairie,
                    name="Sophie Fictive",
                    role="2e adjointe",
                    sort_order=2,
                    delegations="École, cantine, jeunesse",
                ),
            ]
        )

    discover = _page(c, "decouvrir")
    if discover is not None:
        discover.body = [
            {"type": "heading", "value": "Patrimoine"},
            {
                "type": "paragraph",
                "value": (
                    f"<p>L'église, le lavoir et les chemins creux de {c.name} racontent "
                    "des siècles "
                    "de vie rurale au bord de la Dordogne (texte de démonstration).</p>"
                ),
            },
            {"type": "image", "value": {"image": photo.pk, "caption": f"Les environs de {c.name}"}},
            {"type": "heading", "value": "Balades"},
            {
                "type": "paragraph",
                "value": ("<p>Trois boucles balisées partent de la place de la mairie.</p>"),
            },
        ]
        discover.save(update_fields=["body"])

    contact = _page(c, "contact")
    if isinstance(contact, ContactPage):
        contact.to_address = f"mairie@{c.hostname}"
        contact.from_address = f"site@{c.hostname}"
        contact.save(update_fields=["to_address", "from_address"])

    nodes = [
        Node(
            NewsPage(
                title="Travaux de voirie route du moulin",
                slug="travaux-voirie",
                date=today - datetime.timedelta(days=3),
                intro="<p>La route du moulin sera fermée à la circulation pendant deux "
                "semaines pour la réfection de la chaussée (information fictive).</p>",
            )
        ),
        Node(
            NewsPage(
                title="Inscriptions à la cantine scolaire",
                slug="inscriptions-cantine",
                date=today - datetime.timedelta(days=12),
                intro="<p>Les inscriptions à la cantine pour le prochain trimestre sont "
                "ouvertes au secrétariat de la mairie.</p>",
            )
        ),
        Node(
            NewsPage(
                title="Nouveau composteur partagé",
                slug="composteur-partage",
                date=today - datetime.timedelta(days=30),
                intro="<p>Un composteur partagé est installé près de la salle des fêtes.</p>",
            )
        ),
    ]
    news = insert_subtree(news_index, nodes)

    events_index = _page(c, "agenda")
    start = (now + datetime.timedelta(days=9)).replace(hour=8, minute=0, second=0, microsecond=0)
    event_nodes = [
        Node(
            EventPage(
                title="Marché de producteurs",
                slug="marche-producteurs",
                start=start,
                end=start + datetime.timedelta(hours=4),
                place="Place de la mairie",
                intro="<p>Fruits, légumes, fromages et vins du pays.</p>",
            )
        ),
        Node(
            EventPage(
                title="Randonnée des sentiers communaux",
                slug="randonnee",
                start=start + datetime.timedelta(days=6, hours=1),
                end=start + datetime.timedelta(days=6, hours=5),
                place="Départ de l'église",
                intro="<p>Boucle de 12 km, ouverte à tous.</p>",
            )
        ),
        Node(
            EventPage(
                title="Fête du village",
                slug="fete-du-village",
                start=start - datetime.timedelta(days=60),
                end=start - datetime.timedelta(days=59),
                place="Salle des fêtes",
                intro="<p>Repas, musique et feu d'artifice.</p>",
            )
        ),
    ]
    events = insert_subtree(events_index, event_nodes)

    council = _page(c, "conseil")
    minutes = SiteDocument(
        title=f"Procès-verbal du conseil municipal de {c.name}", collection_id=c.collection_id
    )
    minutes.file.save(
        f"{c.slug}-proces-verbal.pdf",
        ContentFile(
            minimal_pdf(
                [
                    f"Commune de {c.name} - Conseil municipal",
                    "Proces-verbal de la seance (document de demonstration, fictif)",
                    "Deliberation 1 : tarifs de la cantine scolaire pour l'annee a venir.",
                    "Deliberation 2 : travaux de refection de la toiture de l'eglise.",
                    "Deliberation 3 : subvention au comite des fetes.",
                ]
            )
        ),
        save=False,
    )
    minutes.save()
    past = (now - datetime.timedelta(days=20)).replace(hour=18, minute=30, second=0, microsecond=0)
    future = (now + datetime.timedelta(days=15)).replace(
        hour=18, minute=30, second=0, microsecond=0
    )
    meetings = insert_subtree(
        council,
        [
            Node(
                CouncilMeetingPage(
                    title=f"Séance du {past:%d/%m/%Y}",
                    slug=f"seance-{past:%Y-%m-%d}",
                    date=past,
                    agenda="<ol><li>Tarifs de la cantine scolaire</li><li>Travaux de l'église</li>"
                    "<li>Subventions aux associations</li></ol>",
                    minutes=minutes,
                    summary="<p>Le conseil a adopté les trois délibérations à l'ordre du jour.</p>",
                )
            ),
            Node(
                CouncilMeetingPage(
                    title=f"Séance du {future:%d/%m/%Y}",
                    slug=f"seance-{future:%Y-%m-%d}",
                    date=future,
                    agenda="<ol><li>Budget supplémentaire</li><li>Questions diverses</li></ol>",
                )
            ),
        ],
    )
    Deliberation.objects.bulk_create(
        [
            Deliberation(
                page_id=meetings[0].pk,
                number=f"{past.year}-01",
                sort_order=0,
                title="Tarifs de la cantine scolaire",
                vote="Unanimité",
            ),
            Deliberation(
                page_id=meetings[0].pk,
                number=f"{past.year}-02",
                sort_order=1,
                title="Réfection de la toiture de l'église",
                vote="10 pour, 1 abstention",
            ),
            Deliberation(
                page_id=meetings[0].pk,
                number=f"{past.year}-03",
                sort_order=2,
                title="Subvention au comité des fêtes",
                vote="Unanimité",
            ),
        ]
    )

    bulletin_doc = SiteDocument(
        title=f"Bulletin municipal de {c.name}", collection_id=c.collection_id
    )
    bulletin_doc.file.save(
        f"{c.slug}-bulletin.pdf",
        ContentFile(
            minimal_pdf(
                [
                    f"Le petit journal de {c.name} (bulletin de demonstration, fictif)",
                    "Le mot du maire, les travaux, la vie de l'ecole, l'agenda.",
                ]
            )
        ),
        save=False,
    )
    bulletin_doc.save()
    bulletins = insert_subtree(
        _page(c, "bulletins"),
        [
            Node(
                BulletinPage(
                    title=f"Bulletin municipal — {today:%B %Y}",
                    slug=f"bulletin-{today:%Y-%m}",
                    date=today,
                    number="1",
                    document=bulletin_doc,
                    cover=photo,
                    summary="Le mot du maire\nLes travaux de l'année\nLa vie de l'école",
                )
            )
        ],
    )

    vie_locale = _page(c, "vie-locale")
    if vie_locale is not None:
        LocalEntry.objects.bulk_create(
            [
                LocalEntry(
                    page_id=vie_locale.pk,
                    kind="association",
                    name="Comité des fêtes",
                    description="Organise la fête du village et le marché de Noël.",
                    sort_order=0,
                ),
                LocalEntry(
                    page_id=vie_locale.pk,
                    kind="association",
                    name="Club des aînés",
                    description="Jeux, sorties et repas chaque jeudi.",
                    sort_order=1,
                ),
                LocalEntry(
                    page_id=vie_locale.pk,
                    kind="ecole",
                    name="École primaire",
                    description="Classes de la maternelle au CM2.",
                    sort_order=2,
                ),
                LocalEntry(
                    page_id=vie_locale.pk,
                    kind="commerce",
                    name="Boulangerie du bourg",
                    description="Ouverte du mardi au dimanche matin.",
                    sort_order=3,
                ),
            ]
        )

    Banner.objects.create(
        title=f"Conseil municipal le {future:%d/%m} à 18 h 30",
        text="Séance publique à la mairie.",
        link_page=meetings[1],
        level="info",
        start=now - datetime.timedelta(hours=1),
        end=future + datetime.timedelta(hours=3),
        site_id=c.site_id,
        live=True,
    )

    rewrite_revisions([home, mairie, discover, contact, vie_locale])
    add_revisions([*news, *events, *meetings, *bulletins])
    enqueue_indexing([p.pk for p in (*news, *events, *meetings, *bulletins)])
    return True

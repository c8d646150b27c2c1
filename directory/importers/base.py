"""What every importer is: fetch → parse → upsert, behind one small interface.

An importer reads bytes from a file, a folder, a zip or a URL (`fetch`), turns them into
records (`parse`), and the shared `run_import` service writes them: one transaction per
record, idempotent upserts on (source, external id), locally edited fields left alone,
entries gone from the source archived — but only within the scope the input covers
completely (`Importer.archive_scope`). A file that cannot be read whole — hostile,
truncated, in the wrong encoding, too big — is refused before anything is written.
"""

import io
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Q
from django.utils.translation import gettext as _

from parsing.errors import ImportFileError

USER_AGENT = "Bastide/0.1 (annuaire des services du Pays; +https://bastide.invalid/contact)"
HTTP_TIMEOUT = 20  # seconds
MAX_BYTES = 50 * 1024 * 1024  # one file
MAX_FILES = 20_000  # in a zip or a folder


@dataclass
class EntryRecord:
    """One service entry as a source describes it."""

    external_id: str
    name: str
    category: str  # a Category slug, or a source code the categories map
    fields: dict = field(default_factory=dict)
    hours: list = field(default_factory=list)  # [{weekday, morning_open, …}] (datetime.time)
    commune_code: str = ""
    # Fields the parser dropped or could not read, said in the report; the record stays.
    warnings: list = field(default_factory=list)


@dataclass
class Rejected:
    where: str  # "ligne 12", "service 4f1e…", "F1427.xml"
    reason: str

    def __str__(self):
        return f"{self.where} : {self.reason}"


@dataclass
class Skipped(Rejected):
    """A well-formed record this Bastide does not keep (another territory): counted, said."""


@dataclass
class Scope:
    """What an input covers completely, hence what a run may archive of what it lacks.

    `label` says it in French for the report (« département 24 », « public particuliers »);
    `covers` is what the writer archives within — a Q of the source's entries, or an
    audience for fiches — and None when the input is partial: then nothing is archived."""

    label: str
    covers: object = None

    @classmethod
    def partial(cls, why):
        return cls(_("aucun (%s)") % why, None)


@dataclass
class Source:
    """Where bytes come from: a label for the journal, and the files' contents."""

    label: str
    files: list  # [(name, bytes)]
    # A whole publication (the comarquage's zip), not a few files of it: what it lacks is
    # gone from the source.
    complete: bool = False


def read_limited(stream, limit=MAX_BYTES, name=""):
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ImportFileError(
            _("%(name)s dépasse la taille permise (%(limit)d Mo).")
            % {"name": name or _("Le fichier"), "limit": limit // (1024 * 1024)}
        )
    return data


def fetch_url(url, limit=MAX_BYTES):
    """GET with a timeout, a User-Agent and a size limit; http(s) only."""
    if not url.startswith(("http://", "https://")):
        raise ImportFileError(_("Adresse refusée (http ou https seulement) : %s") % url)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:  # noqa: S310
            return read_limited(response, limit, url)
    except OSError as exc:
        raise ImportFileError(
            _("Lecture impossible de %(url)s : %(error)s")
            % {
                "url": url,
                "error": exc,
            }
        ) from exc


class Importer:
    """One source. Subclasses set `source`, `label`, `suffixes` and write `parse`."""

    source = ""
    label = ""
    suffixes = ()  # file name endings read from a folder or a zip
    target = "entries"  # or "fiches"
    max_bytes = MAX_BYTES
    needs_origin = True  # False for a source read from Bastide itself (the registry)

    def fetch(self, origin) -> Source:
        """The files behind `origin`: a path (file, folder, zip), a URL, or bytes."""
        if isinstance(origin, bytes | bytearray):
            return Source(_("fichier envoyé"), [("upload", bytes(origin))])
        origin = str(origin)
        if origin.startswith(("http://", "https://")):
            return Source(origin, [(origin, fetch_url(origin, self.max_bytes))])
        path = Path(origin)
        if path.is_dir():
            names = sorted(p for p in path.rglob("*") if p.is_file() and self._wanted(p.name))
            if len(names) > MAX_FILES:
                raise ImportFileError(_("Trop de fichiers dans %s.") % path)
            return Source(str(path), [(p.name, self._read_file(p)) for p in names])
        if not path.is_file():
            raise ImportFileError(_("Fichier introuvable : %s") % path)
        data = self._read_file(path)
        if path.suffix.lower() == ".zip":
            return Source(str(path), self.unzip(data), complete=True)
        return Source(str(path), [(path.name, data)])

    def _wanted(self, name):
        return not self.suffixes or name.lower().endswith(self.suffixes)

    def _read_file(self, path):
        with open(path, "rb") as stream:
            return read_limited(stream, self.max_bytes, path.name)

    def unzip(self, data):
        import zipfile

        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile as exc:
            raise ImportFileError(_("Archive zip illisible : %s") % exc) from exc
        members = [i for i in archive.infolist() if not i.is_dir() and self._wanted(i.filename)]
        if len(members) > MAX_FILES:
            raise ImportFileError(_("Trop de fichiers dans l'archive."))
        if sum(i.file_size for i in members) > 20 * self.max_bytes:
            raise ImportFileError(_("L'archive décompressée serait trop grosse."))
        files = []
        for info in members:
            with archive.open(info) as stream:
                files.append((Path(info.filename).name, read_limited(stream, self.max_bytes)))
        return files

    def parse(self, source: Source):
        """Yield EntryRecord (or the target's records) and Rejected; raise ImportFileError."""
        raise NotImplementedError

    def archive_scope(self, source: Source, items) -> Scope:
        """What `source` (parsed into `items`) covers completely. By default an input is the
        whole of its source: what it lacks is gone from it."""
        return Scope(_("toute la source « %s »") % self.source, Q())

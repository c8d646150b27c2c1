"""Write nginx's configuration for the front (serving/front.py;
docs/serving.md#serving-the-files)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from serving.front import Deployment, render


class Command(BaseCommand):
    help = "Écrit la configuration de nginx devant gunicorn (docs/serving.md#serving-the-files)."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="where nginx.conf and bastide.conf are written")
        parser.add_argument("--listen", default="8080")
        parser.add_argument("--upstream", default="web:8000")
        parser.add_argument("--baked-root", default=str(getattr(settings, "BAKED_ROOT", "")))
        parser.add_argument("--static-root", default=str(settings.STATIC_ROOT))
        parser.add_argument("--media-root", default=str(settings.MEDIA_ROOT))
        parser.add_argument("--run-dir", default="/run/nginx")
        parser.add_argument("--conf-dir", help="where nginx reads them (default: directory)")
        parser.add_argument("--user", default="", help="the workers' user, nginx run as root")
        parser.add_argument("--resolver", default="", help="a DNS server for the upstream's name")

    def handle(self, *args, **options):
        deployment = Deployment(
            listen=options["listen"],
            upstream=options["upstream"],
            baked_root=options["baked_root"],
            static_root=options["static_root"],
            media_root=options["media_root"],
            run_dir=options["run_dir"],
            conf_dir=options["conf_dir"] or options["directory"],
            user=options["user"],
            resolver=options["resolver"],
        )
        try:
            path = render(deployment, options["directory"])
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(path))

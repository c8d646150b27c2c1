from django.core.management.base import BaseCommand, CommandError

from newcomers.services.demo import create_demo_guide
from newcomers.services.demo_english import translate_demo_guide


class Command(BaseCommand):
    help = (
        "Create the demo guide « Installez-vous » on the portal: its topics, two "
        "testimonials and six takeover offers, all fictional; then its English version "
        "at /en/settle-in/ (with the portal's English home, an alias of the French one)."
    )

    def handle(self, *args, **options):
        try:
            report = create_demo_guide()
            english = translate_demo_guide()
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(report.summary)
        self.stdout.write(english.summary)

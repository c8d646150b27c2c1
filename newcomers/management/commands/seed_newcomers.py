from django.core.management.base import BaseCommand, CommandError

from newcomers.services.demo import create_demo_guide


class Command(BaseCommand):
    help = (
        "Create the demo guide « Installez-vous » on the portal: its topics, two "
        "testimonials and six takeover offers, all fictional."
    )

    def handle(self, *args, **options):
        try:
            report = create_demo_guide()
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(report.summary)

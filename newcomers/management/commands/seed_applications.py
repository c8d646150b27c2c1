from django.core.management.base import BaseCommand

from newcomers.applications.demo import create_demo_applications


class Command(BaseCommand):
    help = "Demo: the routing table (fictional partners) and the « Candidater » page."

    def handle(self, *args, **options):
        report = create_demo_applications()
        self.stdout.write(
            f"candidatures : {report.partners_created} partenaires créés, "
            f"page {'créée' if report.page_created else 'déjà là'}"
            f"{', traduite en anglais' if report.english_page_created else ''}"
        )
        for note in report.notes:
            self.stdout.write(note)

from django.core.management.base import BaseCommand

from sitefactory.services.demo_content import create_demo_content


class Command(BaseCommand):
    help = "Fill every provisioned commune with fictional demo content (make demo / make seed)."

    def handle(self, *args, **options):
        report = create_demo_content()
        self.stdout.write(f"demo content: filled {report.filled}, skipped {report.skipped}")

"""SiteImage.decorative → is_decorative: Wagtail's AbstractImage.__init__ sets `decorative` to
False on every instance (its ImageBlock's contextual flag), so the stored mark was never read
back: a decorative image lost it on its next save from the admin."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("communes", "0009_bulletins_in_menu")]

    operations = [
        migrations.RenameField(
            model_name="siteimage", old_name="decorative", new_name="is_decorative"
        ),
    ]

"""The bulletins join the site menu (issue #19): the blueprint now says so for new sites;
existing sites get it here once (the provisioner never overwrites a page's fields)."""

from django.db import migrations


def bulletins_in_menu(apps, schema_editor):
    BulletinIndexPage = apps.get_model("communes", "BulletinIndexPage")
    BulletinIndexPage.objects.filter(show_in_menus=False).update(show_in_menus=True)


class Migration(migrations.Migration):
    dependencies = [("communes", "0008_image_provenance")]

    operations = [migrations.RunPython(bulletins_in_menu, migrations.RunPython.noop)]

"""The directory's categories, mapped to the Annuaire's type_service_local codes and to
INSEE BPE equipment codes. Pays staff can add and rename them in the admin."""

from django.db import migrations

CATEGORIES = [
    # slug, French, English, Annuaire codes, BPE codes
    ("mairie", "Mairies", "Town halls", ["mairie"], []),
    ("france-services", "France Services", "France Services", ["france_services", "msap"], []),
    ("caf", "Allocations familiales (CAF)", "Family allowances (CAF)", ["caf"], []),
    ("cpam", "Assurance maladie (CPAM)", "Health insurance (CPAM)", ["cpam"], []),
    ("msa", "Mutualité sociale agricole (MSA)", "Farmers' social security (MSA)", ["msa"], []),
    ("emploi", "Emploi (France Travail)", "Employment (France Travail)",
     ["pole_emploi", "france_travail"], []),
    ("impots", "Finances publiques", "Tax offices", ["sip", "centre_impots_fonciers", "tresorerie"], []),
    ("securite", "Gendarmerie et police", "Gendarmerie and police",
     ["gendarmerie", "commissariat_police"], ["A101", "A104"]),
    ("poste", "La Poste", "Post offices", [], ["A206", "A207", "A208"]),
    ("sante", "Santé", "Health", [], ["D201", "D307"]),
    ("internet", "Points d'accès à internet", "Public internet access", [], []),
    ("petite-enfance", "Assistantes maternelles et petite enfance", "Childminders and early childhood",
     ["relais_assistantes_maternelles"], []),
    ("artisans-art", "Artisans d'art", "Art craftspeople", [], []),
    ("producteurs", "Producteurs locaux", "Local producers", [], []),
    ("intercommunalite", "Intercommunalités", "Communities of communes", ["epci"], []),
    ("autre", "Autres services", "Other services", [], []),
]


def add(apps, schema_editor):
    Category = apps.get_model("directory", "Category")
    for order, (slug, name, name_en, types, bpe) in enumerate(CATEGORIES):
        Category.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "name_en": name_en,
                "service_public_types": types,
                "bpe_codes": bpe,
                "sort_order": (order + 1) * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]

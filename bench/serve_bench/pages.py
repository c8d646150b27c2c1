"""The pages the bench loads: every page type of a commune and of the portal."""

HOME = "accueil d'une commune"
PAGES = [
    (HOME, "bergerac", "/"),
    ("la mairie", "bergerac", "/mairie/"),
    ("une actualité", "bergerac", "/actualites/travaux-voirie/"),
    ("une démarche", "bergerac", "/demarches/acte-de-naissance/"),
    ("agenda", "bergerac", "/agenda/"),
    ("conseil municipal", "bergerac", "/conseil-municipal/"),
    ("contact", "bergerac", "/contact/"),
    ("plan du site", "bergerac", "/plan-du-site/"),
    ("portail", None, "/"),
    ("trouver ma commune", None, "/communes/?q=24150"),
    ("agenda du Pays", None, "/agenda/"),
    ("alertes (formulaire)", "bergerac", "/alertes/"),
    ("guide Installez-vous", None, "/installez-vous/"),
    ("un thème du guide", None, "/installez-vous/se-loger/"),
    ("un témoignage", None, "/installez-vous/temoignage-emma-et-tom/"),
    ("reprises d'activité", None, "/installez-vous/reprises/"),
    ("une reprise", None, "/installez-vous/reprises/garage-automobile-offre-fictive/"),
    ("lexique occitan", None, "/occitan/"),
    ("un mot occitan", None, "/occitan/mot/maison/"),
    ("une lettre (A–Z)", None, "/occitan/lettre/m/"),
    ("une fiche à imprimer", None, "/occitan/themes/maison/fiche/"),
]
# Baked pages loaded through the front and gunicorn alone (the limit is the home's).
BAKED = [PAGES[0], PAGES[1], PAGES[2], PAGES[4]]
FRESHNESS_PAGE = ("bergerac", "/mairie/")

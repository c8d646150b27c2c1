from django.template.response import TemplateResponse

from communes.models import Collectivite


def archived_site(request, name):
    """410 rather than 404: the site existed and is gone on purpose, so search engines drop it."""
    pays = Collectivite.objects.filter(kind=Collectivite.Kind.PAYS).select_related("site").first()
    response = TemplateResponse(
        request,
        "sitefactory/archived_site.html",
        {"name": name, "portal_url": pays.url if pays else ""},
        status=410,
    )
    response["Cache-Control"] = "no-cache"
    return response

"""What visitors see of the offers: the filtered list with its map, and its GeoJSON. Both
show current offers only; the list works without JavaScript."""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.template.response import TemplateResponse

from newcomers.filters import OfferFilterForm
from newcomers.services.offers import current_offers, epci_choices, offers_map
from newcomers.services.offers import offers_geojson as offers_geojson_data

PAGE_SIZE = 12


def _filtered(request, index):
    bound = any(name in request.GET for name in OfferFilterForm.base_fields)
    form = OfferFilterForm(request.GET if bound else None, epcis=epci_choices())
    offers = current_offers(index)
    if bound and form.is_valid():
        offers = offers.filter(form.filter_q())
    return form, bound, offers


def _offer_url(base):
    return lambda offer: f"{base}{offer.slug}/"


def offers_index(request, index):
    form, bound, offers = _filtered(request, index)
    base = index.get_url(request)
    paginator = Paginator(offers.prefetch_related("photos__image"), PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    rows = list(page_obj.object_list)
    offer_url = _offer_url(base)
    for offer in rows:
        offer.link = offer_url(offer)
    # The map shows every offer of the search, not only this page's.
    all_rows = rows if paginator.num_pages == 1 else list(offers)
    context = index.get_context(request)
    context.update(
        form=form,
        filtered=bound,
        offers=rows,
        page_obj=page_obj,
        paginator=paginator,
        page_range=paginator.get_elided_page_range(page_obj.number),
        offers_url=base,
        map=offers_map(all_rows, offer_url),
        rss_url=base + index.reverse_subpage("rss"),
        geojson_url=base + index.reverse_subpage("geojson"),
        alert_url=base + index.reverse_subpage("alert"),
    )
    status = 400 if bound and not form.is_valid() else 200
    return TemplateResponse(request, index.get_template(request), context, status=status)


def offers_geojson(request, index):
    """Public data only (live, public, current offers, the centre of their commune), on the
    same filters as the list: the same on every site, nothing of any collectivité's admin."""
    form, _bound, offers = _filtered(request, index)
    if form.is_bound and not form.is_valid():
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return JsonResponse({"errors": errors}, status=400)
    data = offers_geojson_data(offers, _offer_url(index.get_url(request)))
    return JsonResponse(data, content_type="application/geo+json")

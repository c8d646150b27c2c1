"""What visitors see of the offers: the filtered list with its map, and its GeoJSON. Both
show current offers only; the list works without JavaScript."""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.template.response import TemplateResponse

from newcomers.filters import OfferFilterForm
from newcomers.models.offers import today
from newcomers.services.offers import current_offers, epci_choices, offer_links, offers_map
from newcomers.services.offers import offers_geojson as offers_geojson_data
from serving.cache import cached
from serving.clock import changes_at, next_midnight

PAGE_SIZE = 12


def _filtered(request, index):
    """The filter form, whether it was sent, and a function giving the offers it keeps (a
    function: the listing asks for them only when it is not already kept)."""
    bound = any(name in request.GET for name in OfferFilterForm.base_fields)
    form = OfferFilterForm(request.GET if bound else None, epcis=epci_choices())
    # An offer leaves the list the day after its expiry date: the list is the day's.
    changes_at(next_midnight(), "offres en cours")

    def offers():
        kept = current_offers(index)
        if bound and form.is_valid():
            kept = kept.filter(form.filter_q())
        return kept

    return form, bound, offers


def _listing_key(request, form, bound):
    """What the list and its map depend on, or None when the request is not worth keeping
    (an invalid filter, a page number nobody types)."""
    if bound and not form.is_valid():
        return None
    page = request.GET.get("page", "1")
    if not (page.isdigit() and len(page) <= 3):
        return None
    filters = sorted((k, v) for k, v in form.cleaned_data.items() if v) if bound else []
    return [today().isoformat(), filters, page]


def offers_index(request, index):
    form, bound, found = _filtered(request, index)
    base = index.get_url(request)

    def listing():
        offer_url = offer_links(index, request)
        offers = found()
        paginator = Paginator(offers.prefetch_related("photos__image"), PAGE_SIZE)
        page_obj = paginator.get_page(request.GET.get("page"))
        rows = list(page_obj.object_list)
        for offer in rows:
            offer.link = offer_url(offer)
            # Not yet translated: its title is in its own language.
            offer.content_language = (
                offer.locale.language_code if offer.locale_id != index.locale_id else ""
            )
        # The map shows every offer of the search, not only this page's.
        all_rows = rows if paginator.num_pages == 1 else list(offers)
        return {
            "offers": rows,
            "page_obj": page_obj,
            "paginator": paginator,
            "page_range": list(paginator.get_elided_page_range(page_obj.number)),
            "map": offers_map(all_rows, offer_url),
        }

    # Offers change with the content version (publishing) and with the day (expiry): a list
    # is computed once per version, day, filters, page and address, in each process.
    key = _listing_key(request, form, bound)
    if key is None:
        data = listing()
    else:
        data = cached("offers-listing", [index.pk, base, *key], listing, shared=False)
    context = index.get_context(request)
    context.update(
        data,
        form=form,
        filtered=bound,
        offers_url=base,
        # For the template's memo of the map: the same drawing for the same list.
        listing_key="|".join(map(str, [base, *key])) if key else "",
        rss_url=base + index.reverse_subpage("rss"),
        geojson_url=base + index.reverse_subpage("geojson"),
        alert_url=base + index.reverse_subpage("alert"),
    )
    status = 400 if bound and not form.is_valid() else 200
    return TemplateResponse(request, index.get_template(request), context, status=status)


def offers_geojson(request, index):
    """Public data only (live, public, current offers, the centre of their commune), on the
    same filters as the list: the same on every site, nothing of any collectivité's admin."""
    form, _bound, found = _filtered(request, index)
    if form.is_bound and not form.is_valid():
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return JsonResponse({"errors": errors}, status=400)
    data = offers_geojson_data(found(), offer_links(index, request))
    return JsonResponse(data, content_type="application/geo+json")

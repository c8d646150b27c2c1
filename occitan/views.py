"""The routes of /occitan/ (occitan.models.pages): what each one reads and renders.

Listings come from occitan.services.pages, cached under the content version; only the
search results are looked up at each request (occitan.services.lookup.find).
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import get_language

from occitan.forms import SearchForm
from occitan.services import lookup
from occitan.services import pages as data

LETTER_PAGE_SIZE = 60


def _render(request, index, template, status=200, **extra):
    base = data.section_url(request, index)
    context = index.get_context(request)
    interface = get_language()
    context.update(
        extra,
        section_url=base,
        # The page is French; its interface may be Occitan or English (/oc/occitan/):
        # the section's labels then say which language they are in.
        interface_lang=interface if interface and interface != "fr" else "",
    )
    return TemplateResponse(request, template, context, status=status)


def index(request, page):
    if "q" in request.GET:
        sent = request.GET.copy()
        sent.setdefault("sens", lookup.Direction.BOTH)
        form = SearchForm(sent)
    else:
        form = SearchForm()
    found = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            found = lookup.find(form.cleaned_data["q"], form.cleaned_data["sens"])
        else:
            status = 400
    expressions = data.expressions()
    return _render(
        request,
        page,
        "occitan/pages/index.html",
        status=status,
        form=form,
        found=found,
        searched=form.is_bound,
        letters=data.letters(),
        themes=data.themes(),
        expressions=expressions[: data.INDEX_EXPRESSIONS],
        more_expressions=len(expressions) > data.INDEX_EXPRESSIONS,
    )


def letter(request, page, letter):
    letter = letter.lower()
    if letter not in data.LETTERS:
        raise Http404
    order = data.ORDER_OCCITAN if request.GET.get("ordre") == "oc" else data.ORDER_FRENCH
    entries = data.by_letter(letter, order)
    paginator = Paginator(entries, LETTER_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return _render(
        request,
        page,
        "occitan/pages/letter.html",
        letter=letter,
        order=order,
        order_letters=data.letters(order),
        entries=page_obj.object_list,
        page_obj=page_obj,
        paginator=paginator,
        page_range=list(paginator.get_elided_page_range(page_obj.number)),
    )


def theme(request, page, slug, sheet=False):
    found = data.theme(slug)
    if found is None:
        raise Http404
    theme, entries = found
    template = "occitan/pages/sheet.html" if sheet else "occitan/pages/theme.html"
    return _render(request, page, template, theme=theme, entries=entries)


def entry(request, page, slug):
    found = data.entry(slug)
    if found is None:
        raise Http404
    return _render(request, page, "occitan/pages/entry.html", entry=found)


def expressions(request, page):
    return _render(request, page, "occitan/pages/expressions.html", expressions=data.expressions())


def expression(request, page, slug):
    found = data.expression(slug)
    if found is None:
        raise Http404
    return _render(request, page, "occitan/pages/expression.html", expression=found)

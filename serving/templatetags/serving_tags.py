from django import template
from django.utils.translation import get_language

from serving.cache import cached

register = template.Library()


class MemoNode(template.Node):
    def __init__(self, nodelist, name, parts, unless=None):
        self.nodelist, self.name, self.parts, self.unless = nodelist, name, parts, unless

    def render(self, context):
        request = context.get("request")
        if getattr(request, "is_preview", False):
            # A preview shows a draft under the page's id: never keep or serve its markup.
            return self.nodelist.render(context)
        if self.unless is not None and self.unless.resolve(context):
            # This rendering is the visitor's own (a bound form, a filter applied).
            return self.nodelist.render(context)
        # The interface language is always part of the key: a fragment's {% translate %}s.
        parts = [get_language(), *(part.resolve(context) for part in self.parts)]
        return cached(
            f"fragment-{self.name}", parts, lambda: self.nodelist.render(context), shared=False
        )


@register.tag
def memo(parser, token):
    """{% memo "name" key1 key2 %}…{% endmemo %}: the enclosed markup, rendered once per
    content version, key and interface language. For markup that is costly and depends only
    on its keys, such as a photo's <picture> with its nine renditions; never for anything
    time- or user-dependent.

    {% memo "name" key1 unless condition %}: rendered afresh, and not kept, when `condition`
    holds: a form's fields are the same for every visitor until one submits them (bound)."""
    bits = token.split_contents()
    unless = None
    if len(bits) >= 5 and bits[-2] == "unless":
        unless = parser.compile_filter(bits[-1])
        bits = bits[:-2]
    if len(bits) < 3:
        raise template.TemplateSyntaxError("memo needs a name and at least one key")
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    parts = [parser.compile_filter(b) for b in bits[2:]]
    return MemoNode(nodelist, bits[1].strip("\"'"), parts, unless)

from django import template

from serving.cache import cached

register = template.Library()


class MemoNode(template.Node):
    def __init__(self, nodelist, name, parts):
        self.nodelist, self.name, self.parts = nodelist, name, parts

    def render(self, context):
        parts = [part.resolve(context) for part in self.parts]
        return cached(
            f"fragment-{self.name}", parts, lambda: self.nodelist.render(context), shared=False
        )


@register.tag
def memo(parser, token):
    """{% memo "name" key1 key2 %}…{% endmemo %}: the enclosed markup, rendered once per
    content version and key. For markup that is costly and depends only on its keys, such
    as a photo's <picture> with its nine renditions; never for anything time- or
    user-dependent."""
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError("memo needs a name and at least one key")
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, bits[1].strip("\"'"), [parser.compile_filter(b) for b in bits[2:]])

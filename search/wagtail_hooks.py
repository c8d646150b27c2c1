from wagtail import hooks

from search.viewsets import PromotionViewSet


@hooks.register("register_admin_viewset")
def register_promotions():
    return PromotionViewSet("search-promotions")

from wagtail import hooks

from alerts.dashboard import SubscribersPanel, show


@hooks.register("construct_homepage_panels")
def alert_subscribers(request, panels):
    if show(request):
        panels.append(SubscribersPanel(request))

from wagtail import hooks

from newcomers.viewsets import ApplicationsGroup


@hooks.register("register_admin_viewset")
def register_applications():
    return ApplicationsGroup()

from rest_framework import status
from rest_framework.response import Response
from wagtail.admin.api.actions.delete import DeletePageAPIAction

from recyclebin.services import move_to_bin


class DeleteToRecycleBinAPIAction(DeletePageAPIAction):
    """The admin API's page deletion goes to the recycle bin, like the admin's."""

    def execute(self, instance, data):
        self._action_from_data(instance, data).check()  # Wagtail's permission check
        move_to_bin(instance, user=self.request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

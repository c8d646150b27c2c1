import pytest

from communes.models import Collectivite
from conftest import COMMUNE_A, host_client, member


def admin_client(user):
    client = host_client("pays.test")
    client.force_login(user)
    return client


@pytest.fixture
def editors(communes):
    """A writer and a reviewer of the Occitan partners, one of the Pays team, and commune
    A's secretary."""
    pays = Collectivite.objects.get(code="PAYS")
    return {
        "writer": member("ieo-redaction", pays, "occitan-redaction"),
        "reviewer": member("ieo-relecture", pays, "occitan-relecture"),
        "staff": member("pays-staff", pays, "equipe"),
        "secretary": member("sec-a", communes[COMMUNE_A], "secretariat"),
    }

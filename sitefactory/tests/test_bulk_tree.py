"""What the factory writes in bulk (sitefactory.services.tree) is as sound as add_child() makes it.

Treebeard finds no problem in the trees, and editors can edit, publish, translate, move and
delete the pages; the deferred indexing task makes them findable.
"""

from django.db import transaction
from wagtail.models import Collection, Locale, Page, PageLogEntry, ReferenceIndex

from communes.models import StandardPage
from conftest import COMMUNE_A, COMMUNE_B, host_client
from sitefactory.models import ProvisionedPage
from sitefactory.services.tree import Node, add_collection, add_collections, insert_subtree
from sitefactory.tasks import index_pages

NO_PROBLEMS = ([], [], [], [], [])


def made_pages(collectivite):
    records = ProvisionedPage.objects.filter(collectivite=collectivite).select_related("page")
    return [record.page.specific for record in records]


def standard_pages(collectivite):
    """The plain pages right below a site's home (accessibility, legal notice...)."""
    return StandardPage.objects.child_of(collectivite.home_page).order_by("path")


def test_treebeard_finds_no_problem(communes):
    assert Page.find_problems() == NO_PROBLEMS
    assert Collection.find_problems() == NO_PROBLEMS


def test_paths_depth_numchild_and_url_path_are_what_add_child_makes(communes):
    default_locale = Locale.get_default()
    for collectivite in communes.values():
        pages = made_pages(collectivite)
        assert len(pages) > 5
        for page in pages:
            parent = page.get_parent()
            assert page.depth == parent.depth + 1
            assert page.path[: -Page.steplen] == parent.path
            assert page.numchild == page.get_children().count()
            assert page.url_path == f"{parent.url_path}{page.slug}/"
            assert page.draft_title == page.title
            assert page.live and not page.has_unpublished_changes
            assert page.locale == default_locale
            assert page.specific_class is type(page)
            assert PageLogEntry.objects.filter(page=page, action="wagtail.create").count() == 1
    index = ProvisionedPage.objects.get(collectivite__code="PAYS", key="communes").page
    assert index.numchild == index.get_children().count() == 3
    assert Page.objects.values("translation_key").distinct().count() == Page.objects.count()


def test_a_page_made_in_bulk_can_be_edited_and_published(communes):
    collectivite = communes[COMMUNE_A]
    page = standard_pages(collectivite).first()
    client = host_client(collectivite.hostname)
    url = f"/{page.slug}/"
    assert f"<h1>{page.title}</h1>" in client.get(url).content.decode()

    page.title = "Revue par la mairie"
    revision = page.save_revision()
    assert "Revue par la mairie" not in client.get(url).content.decode()  # a draft
    revision.publish()

    page.refresh_from_db()
    assert page.live_revision_id == revision.pk and not page.has_unpublished_changes
    assert "<h1>Revue par la mairie</h1>" in client.get(url).content.decode()
    assert Page.find_problems() == NO_PROBLEMS


def test_a_page_made_in_bulk_can_be_translated_and_is_served_in_english(communes):
    collectivite = communes[COMMUNE_A]
    page = standard_pages(collectivite).first()
    english, _created = Locale.objects.get_or_create(language_code="en")

    translation = page.copy_for_translation(english, copy_parents=True)
    translation.title = "Translated by the mairie"
    translation.slug = "translated"
    translation.save_revision().publish()

    assert translation.translation_key == page.translation_key
    client = host_client(collectivite.hostname)
    response = client.get("/en/translated/")
    assert response.status_code == 200
    assert "<h1>Translated by the mairie</h1>" in response.content.decode()
    assert f"<h1>{page.title}</h1>" in client.get(f"/{page.slug}/").content.decode()
    assert Page.find_problems() == NO_PROBLEMS


def test_pages_made_in_bulk_can_be_moved_and_deleted(communes):
    collectivite = communes[COMMUNE_A]
    page, target = standard_pages(collectivite)[:2]
    client = host_client(collectivite.hostname)

    page.move(target, pos="last-child")
    page.refresh_from_db()
    target.refresh_from_db()
    assert page.get_parent().pk == target.pk and target.numchild == 1
    assert page.url_path == f"{target.url_path}{page.slug}/"
    assert client.get(f"/{target.slug}/{page.slug}/").status_code == 200
    old_url = client.get(f"/{page.slug}/")  # Wagtail leaves a redirect behind
    assert old_url.status_code == 301
    assert old_url["Location"].endswith(f"/{target.slug}/{page.slug}/")

    page.delete()
    target.refresh_from_db()
    assert target.numchild == 0
    assert client.get(f"/{target.slug}/{page.slug}/").status_code == 404
    assert Page.find_problems() == NO_PROBLEMS

    # A site made in one piece goes in one piece.
    home = communes[COMMUNE_B].home_page
    index = home.get_parent()
    site_pages = home.get_descendant_count() + 1
    pages_before = Page.objects.count()
    home.delete()
    index.refresh_from_db()
    assert Page.objects.count() == pages_before - site_pages
    assert index.numchild == index.get_children().count() == 2
    assert Page.find_problems() == NO_PROBLEMS


def test_index_pages_makes_a_page_made_in_bulk_findable_and_its_links_known(communes):
    home = communes[COMMUNE_A].home_page
    linked = standard_pages(communes[COMMUNE_A]).first()
    page = StandardPage(
        title="Foire aux marrons",
        slug="foire-aux-marrons",
        intro=f'<p>Voir <a linktype="page" id="{linked.pk}">la page</a>.</p>',
    )
    with transaction.atomic():
        insert_subtree(home, [Node(page)])
    references = ReferenceIndex.objects.filter(object_id=str(page.pk), to_object_id=str(linked.pk))
    assert page.pk not in [p.pk for p in Page.objects.live().search("marrons")]
    assert not references.exists()

    assert index_pages.call([page.pk]) == 1

    assert [p.pk for p in Page.objects.live().search("marrons")] == [page.pk]
    assert references.exists()


def test_collections_added_in_bulk_keep_treebeards_name_order(migrated_db):
    root = Collection.get_first_root_node()
    with transaction.atomic():
        for name in ["Lalinde", "Monbazillac", "Bergerac", "Sigoules", "Eymet", "Issigeac"]:
            add_collection(root, name)
    root.refresh_from_db()
    children = Collection.objects.child_of(root)
    by_path = list(children.order_by("path").values_list("name", flat=True))
    assert by_path == list(children.order_by("name").values_list("name", flat=True))
    assert root.numchild == 6
    assert Collection.find_problems() == NO_PROBLEMS


def test_collections_added_among_siblings_go_where_treebeard_puts_them(migrated_db):
    """Two parents with the same children, made by add_child(); then the same names added,
    one by one with add_child() below the first, at once with add_collections() below the
    second: the same order, sub-collections moved with their parents, and a sound tree."""
    root = Collection.get_first_root_node()
    existing = ["Lalinde", "Communauté de communes", "Bergerac", "Église", "eymet", "Sigoules"]
    added = ["Monbazillac", "Abjat", "Cours-de-Pile", "Élus", "Bergerac", "Zoé", "eyliac"]
    added.append("Lalinde")
    parents = []
    for label in ("par add_child", "par add_collections"):
        parent = root.add_child(instance=Collection(name=label))
        for name in existing:
            child = Collection.objects.get(pk=parent.pk).add_child(instance=Collection(name=name))
            child.add_child(instance=Collection(name=f"{name} / photos"))
        parents.append(Collection.objects.get(pk=parent.pk))
    with transaction.atomic():
        for name in added:
            Collection.objects.get(pk=parents[0].pk).add_child(instance=Collection(name=name))
        made = add_collections(parents[1], added)

    assert [c.name for c in made] == added
    orders = []
    for parent in parents:
        parent.refresh_from_db()
        assert parent.numchild == len(existing) + len(added)
        children = list(Collection.objects.get(pk=parent.pk).get_children())
        orders.append([c.name for c in children])
        for child in children:
            grandchildren = [g.name for g in child.get_children()]
            assert grandchildren == ([f"{child.name} / photos"] if child.numchild else [])
    assert orders[0] == orders[1]
    assert Collection.find_problems() == NO_PROBLEMS

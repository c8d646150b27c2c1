"""Provisioning, the page tree: the blueprint's pages made in one insert, then kept up to
date page by page; a page an editor has touched is theirs."""

import copy
from dataclasses import dataclass

from wagtail.models import Page

from sitefactory.models import ProvisionedPage
from sitefactory.services.blueprints import Blueprint
from sitefactory.services.report import CREATED, ProvisioningError
from sitefactory.services.revisions import add_revisions
from sitefactory.services.tree import Node, insert_subtree


class PagesMixin:
    """The page tree of one collectivité; part of the Provisioner."""

    def _parent_page(self, blueprint: Blueprint) -> Page:
        if blueprint.parent == "root":
            return Page.get_first_root_node()
        key = blueprint.parent.split(":", 1)[1]
        if key not in self._pays_pages:
            pp = ProvisionedPage.objects.filter(collectivite=self.pays(), key=key)
            pp = pp.select_related("page").first()
            if pp is None or pp.page is None:
                raise ProvisioningError(
                    f"le portail du Pays n'a pas de page « {key} » : provisionnez d'abord le Pays"
                )
            self._pays_pages[key] = pp.page
        return self._pays_pages[key]

    def _ensure_pages(self, c, blueprint, context, existing, outcome) -> Page:
        rendered = {spec.key: spec.render(context) for spec in (blueprint.home, *blueprint.pages)}
        home_record = existing.get("home")
        to_create = []  # RenderedPage, in blueprint order
        if home_record is None or home_record.page_id is None:
            parent = self._parent_page(blueprint)
            if _child_with_slug(parent, c.slug).exists():
                raise ProvisioningError(
                    f"une page « {c.slug} » existe déjà sous « {parent.title} » "
                    "sans avoir été faite par la fabrique"
                )
            if home_record is not None:
                ProvisionedPage.objects.filter(collectivite=c).delete()
            tree = site_tree(c, blueprint, rendered)
            self._insert_site_trees(parent, [tree], {c.pk: outcome})
            return tree.home

        home = Page.objects.get(pk=home_record.page_id).specific
        created_pages = {"home": home}
        for record in existing.values():
            if record.key != "home" and record.page_id and not _in_site(record.page, home):
                # Moved out of the site, to the recycle bin: deleted, as far as the factory
                # goes, until someone brings it back.
                record.page_id = None
        for spec in blueprint.pages:
            record = existing.get(spec.key)
            page_spec = rendered[spec.key]
            if record is None or (record.page_id is None and spec.required):
                to_create.append(page_spec)
            elif record.page_id is not None and record.fingerprint != page_spec.fingerprint:
                self._update_page(record, page_spec, outcome)
            if record is not None and record.page_id is not None:
                created_pages[spec.key] = record.page
        if home_record.fingerprint != rendered["home"].fingerprint:
            self._update_page(home_record, rendered["home"], outcome, keep_slug=True)
        for page_spec in to_create:
            parent = created_pages.get(page_spec.parent) or home
            page = page_spec.build()
            if _child_with_slug(parent, page.slug).exists():
                outcome.changes.append(
                    f"page « {page_spec.title} » non créée : le slug « {page.slug} » est pris"
                )
                continue
            insert_subtree(parent, [Node(page)], locale=self.locale())
            inlines = page_spec.inline_objects(page)
            _insert_inlines([inlines])
            revision = add_revisions([page], children={page.pk: inlines})[page.pk]
            ProvisionedPage.objects.update_or_create(
                collectivite=c,
                key=page_spec.key,
                defaults={
                    "page": page,
                    "fingerprint": page_spec.fingerprint,
                    "revision": revision,
                },
            )
            created_pages[page_spec.key] = page
            outcome.changes.append(f"page « {page_spec.title} » ajoutée")
            outcome.new_page_ids.append(page.pk)
        return home

    def _insert_site_trees(self, parent, trees, outcomes, first_step=None):
        """The pages of new sites (SiteTree), all below `parent`: one INSERT a table for
        all of them, whether one site or a batch (sitefactory.services.batch)."""
        homes = [t.nodes["home"] for t in trees]
        pages = insert_subtree(parent, homes, locale=self.locale(), first_step=first_step)
        inlines = {
            t.nodes[k].page.pk: t.rendered[k].inline_objects(t.nodes[k].page)
            for t in trees
            for k in t.nodes
            if t.rendered[k].inlines
        }
        _insert_inlines(inlines.values())
        revisions = add_revisions(pages, children=inlines)
        ProvisionedPage.objects.bulk_create(
            ProvisionedPage(
                collectivite=t.collectivite,
                key=k,
                page=node.page,
                fingerprint=t.rendered[k].fingerprint,
                revision=revisions[node.page.pk],
            )
            for t in trees
            for k, node in t.nodes.items()
        )
        for t in trees:
            outcome = outcomes[t.collectivite.pk]
            outcome.result = CREATED
            outcome.changes.append(f"{len(t.nodes)} pages créées")
            outcome.new_page_ids.extend(node.page.pk for node in t.nodes.values())

    def _update_page(self, record, page_spec, outcome, keep_slug=False):
        page = record.page.specific
        if page.has_unpublished_changes or page.latest_revision_id not in (
            None,
            record.revision_id,
        ):
            # An editor has worked on this page: it is theirs now.
            outcome.changes.append(f"page « {page.title} » modifiée par un éditeur : conservée")
            record.fingerprint = page_spec.fingerprint
            record.save(update_fields=["fingerprint", "updated_at"])
            return
        page.title = page.draft_title = page_spec.title
        if not keep_slug:
            page.slug = page_spec.slug
        for name, value in page_spec.values.items():
            if name not in page_spec.inlines:  # child rows are set at creation only
                setattr(page, name, copy.deepcopy(value))
        page.save(clean=False)
        # A revision of its own, so that moderation compares against the blueprint's new text
        # and the old one stays in the history.
        record.revision = add_revisions([page])[page.pk]
        record.fingerprint = page_spec.fingerprint
        record.save(update_fields=["fingerprint", "revision", "updated_at"])
        outcome.changes.append(f"page « {page.title} » mise à jour")


@dataclass
class SiteTree:
    """The pages a blueprint makes for one new site, built and not saved yet."""

    collectivite: object
    nodes: dict  # key -> Node, the home first
    rendered: dict  # key -> RenderedPage

    @property
    def home(self):
        return self.nodes["home"].page


def site_tree(c, blueprint: Blueprint, rendered) -> SiteTree:
    home_page = rendered["home"].build()
    home_page.slug = c.slug
    nodes = {"home": Node(home_page)}
    for spec in blueprint.pages:
        nodes[spec.key] = Node(rendered[spec.key].build())
        nodes[spec.parent].children.append(nodes[spec.key])
    return SiteTree(c, nodes, rendered)


def _in_site(page, home):
    return page.path.startswith(home.path)


def _child_with_slug(parent, slug):
    return children_with_slugs(parent, [slug])


def children_with_slugs(parent, slugs):
    interval = Page._get_children_path_interval(parent.path)
    return Page.objects.filter(path__range=interval, depth=parent.depth + 1, slug__in=slugs)


def _insert_inlines(groups):
    """Child rows (opening hours, form fields...) of freshly inserted pages, one INSERT a model."""
    by_model = {}
    for objects in groups:
        for obj in objects:
            by_model.setdefault(type(obj), []).append(obj)
    for model, objects in by_model.items():
        model.objects.bulk_create(objects)

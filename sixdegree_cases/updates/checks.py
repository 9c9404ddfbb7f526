"""How the privacy checks read an update: as part of its parent case's story."""

from .. import get_case_model


def parent_case_id(update):
    """The id of the survivor case `update` sits under, or None (unsaved, or misplaced)."""
    SurvivorCasePage = get_case_model()

    if not update.path or update.depth is None or update.depth < 2:
        return None
    parent = update.get_parent()
    if parent is None:
        return None
    parent = parent.specific
    return parent.pk if isinstance(parent, SurvivorCasePage) else None

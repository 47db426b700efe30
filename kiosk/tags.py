"""A warranty tag's life: its states, the moves allowed between them, and the event each move writes.

tagged -> held -> requested -> packed -> shipped; held -> scrapped; any open state -> missing.
The tag's status column is a copy of its last event's status, kept for speed and checkable by replay.
"""

from __future__ import annotations

from peewee import JOIN, fn

from .audit import Actor
from .errors import Conflict
from .i18n import N_, Msgid
from .store.models import TagEvent, WarrantyTag, now
from .text import is_digits

TAG_STATES = ("tagged", "held", "requested", "packed", "shipped", "scrapped", "missing", "void")

# from status -> the statuses a further event may set
MOVES = {
    "tagged": {"held", "void", "missing"},
    "held": {"held", "requested", "scrapped", "missing"},
    "requested": {"held", "packed", "missing"},
    "packed": {"requested", "shipped", "missing"},
    "missing": {"held"},
    "shipped": set(),
    "scrapped": set(),
    "void": set(),
}

# Statuses in which the part is on a shelf of the warranty-parts room.
ON_SHELF = ("held", "requested", "packed")

STATUS_WORDS = {
    "tagged": N_("tagged, not yet scanned in"), "held": N_("held"), "requested": N_("requested for return"),
    "packed": N_("packed in a box"), "shipped": N_("shipped"), "scrapped": N_("scrapped"),
    "missing": N_("marked missing"), "void": N_("void"),
}



def tag_number_for(tag_id: int, prefix: str) -> str:
    """Tag numbers come from the database id, so no two terminals can ever issue the same one."""
    return f"{prefix}{tag_id:07d}"


def looks_like_tag(code: str, prefix: str) -> bool:
    """Does the code have the shape of this shop's tag numbers (prefix and at least 7 digits)?"""
    return code.startswith(prefix) and is_digits(code[len(prefix):]) and 7 <= len(code) - len(prefix) <= 12


def move(tag: WarrantyTag, to_status: str, actor: Actor, *, note: str = "", location: str | None = None,
         **changes) -> WarrantyTag:
    """Move a tag to a new status and write its event; call inside audit.change().

    The update is conditional on the status read, so two terminals moving the same tag at
    once leave one success and one Conflict, never two events for one move.
    """
    if to_status not in MOVES.get(tag.status, set()):
        raise Conflict(N_("Tag {tag} is {state}; it cannot be {to_status} now."), tag=tag.tag_number,
                       state=STATUS_WORDS[tag.status], to_status=Msgid(to_status))
    at = now()
    values = dict(changes, status=to_status)
    if location is not None:
        values["location"] = location
    updated = (WarrantyTag.update(**values)
               .where((WarrantyTag.id == tag.id) & (WarrantyTag.status == tag.status)).execute())
    if updated != 1:
        raise Conflict(N_("Tag {tag} was changed at another terminal just now; scan it again."), tag=tag.tag_number)
    TagEvent.create(tag=tag.id, status=to_status, location=values.get("location", tag.location),
                    note=note[:200], employee=actor.employee_id, terminal=actor.terminal[:60],
                    client=actor.client[:80], at=at)
    for key, value in values.items():
        setattr(tag, key, value)
    return tag


def replayed_status(tag_id: int) -> str | None:
    """The status a tag's history arrives at: the status of its last event."""
    last = (TagEvent.select(TagEvent.status).where(TagEvent.tag == tag_id)
            .order_by(TagEvent.id.desc()).first())
    return last.status if last else None


def mismatched_tags(limit: int = 100) -> list[tuple[str, str, str | None]]:
    """Tags whose stored status differs from their replayed history (should always be empty)."""
    last_event = (TagEvent.select(TagEvent.tag, TagEvent.status)
                  .where(TagEvent.id.in_(TagEvent.select(fn.MAX(TagEvent.id))
                                         .group_by(TagEvent.tag))).alias("last"))
    query = (WarrantyTag.select(WarrantyTag.tag_number, WarrantyTag.status, last_event.c.status.alias("replayed"))
             .join(last_event, on=(last_event.c.tag_id == WarrantyTag.id), join_type=JOIN.LEFT_OUTER)
             .where((last_event.c.status.is_null()) | (last_event.c.status != WarrantyTag.status))
             .limit(limit).tuples())
    return list(query)

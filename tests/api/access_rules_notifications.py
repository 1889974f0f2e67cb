"""Access rules for notifications (Immich's NotificationService and NotificationAdminService).

A notification is its user's alone: reading, changing or deleting one needs it to be the
caller's (``notification.<read|update|delete>``, Immich's ``checkOwnerAccess``, which also finds
the owner's deleted ones); a bulk call with one stranger's id among the caller's own is refused
whole. Only an admin creates one, for any user. The search's ``id`` filter finds the caller's own
only.
"""

from __future__ import annotations

from tests.api.access_model import ADMIN, Probe, Request, Things, hidden, no_access, reached, status

NOT_FOUND = "Notification not found"
READ_AT = "2024-05-01T10:00:00.000Z"


def _one(o: Things, c: Things) -> Request:
    return Request(path={"id": o.notification})


NOTIFICATION_RULES: dict[str, list[Probe]] = {
    "getNotifications": [
        Probe(lambda o, c: Request(query={"id": o.notification}), hidden(), status(200))
    ],
    "getNotification": [
        Probe(_one, no_access("notification.read"), status(200)),
        # a deleted one: its owner passes access (as in Immich) and finds nothing
        Probe(
            _one,
            no_access("notification.read"),
            status(400, NOT_FOUND),
            fresh=("deleted_notification",),
        ),
    ],
    "updateNotification": [
        Probe(
            lambda o, c: Request({"id": o.notification}, {"readAt": READ_AT}),
            no_access("notification.update"),
            status(200),
        ),
        # Immich's update of a deleted one throws (a 500); ours is the 400 of a missing one
        Probe(
            lambda o, c: Request({"id": o.notification}, {"readAt": READ_AT}),
            no_access("notification.update"),
            status(400, NOT_FOUND),
            fresh=("deleted_notification",),
        ),
    ],
    "deleteNotification": [
        Probe(_one, no_access("notification.delete"), fresh=("notification",)),
    ],
    "updateNotifications": [
        Probe(
            lambda o, c: Request(json={"ids": [o.notification], "readAt": None}),
            no_access("notification.update"),
        ),
        # the caller's own among them: every id must pass
        Probe(
            lambda o, c: Request(json={"ids": [c.notification, o.notification], "readAt": READ_AT}),
            no_access("notification.update"),
        ),
    ],
    "deleteNotifications": [
        Probe(
            lambda o, c: Request(json={"ids": [o.notification]}),
            no_access("notification.delete"),
            fresh=("notification",),
        ),
        Probe(
            lambda o, c: Request(json={"ids": [c.notification, o.notification]}),
            no_access("notification.delete"),
            fresh=("notification",),
        ),
    ],
    # an admin notifies any user (the others get the admin route's 403)
    "createNotification": [
        Probe(
            lambda o, c: Request(json={"userId": o.user_id, "title": "hello"}),
            reached(),
            status(201),
            grants=frozenset({ADMIN}),
        )
    ],
}

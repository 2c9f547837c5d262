"""Who is acting and what they may do: a :class:`Principal` built from an account's grants.

Roles: ``admin`` may do everything; ``editor`` of an AGS reads and edits that municipality's
assessments; ``viewer`` of an AGS only reads them; ``coordinator`` of a ring runs that ring.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Principal:
    username: str
    display_name: str
    is_admin: bool = False
    editor_ags: frozenset[str] = field(default_factory=frozenset)
    viewer_ags: frozenset[str] = field(default_factory=frozenset)
    coordinator_rings: frozenset[int] = field(default_factory=frozenset)
    is_local: bool = False
    """The single local user of NHM_AUTH=none (no account, all rights)."""

    def can_read(self, ags: str) -> bool:
        return self.is_admin or ags in self.editor_ags or ags in self.viewer_ags

    def can_edit(self, ags: str) -> bool:
        return self.is_admin or ags in self.editor_ags

    def can_coordinate(self, ring_id: int) -> bool:
        return self.is_admin or ring_id in self.coordinator_rings

    @property
    def readable_ags(self) -> frozenset[str] | None:
        """The municipalities this principal may read; None means all (admin, local user)."""
        if self.is_admin:
            return None
        return self.editor_ags | self.viewer_ags


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "local user"


def local_principal() -> Principal:
    """The single local user when NHM_AUTH=none: named after the OS user, with all rights."""
    name = _os_user()
    return Principal(username=name, display_name=name, is_admin=True, is_local=True)

"""A partition of ``0 … n-1`` into groups, joined pair by pair (union-find): lineages of sources, groups of
statements. Deterministic: a group is named by its smallest member, and groups come out in that order."""

from __future__ import annotations

__all__ = ["Partition"]


class Partition:
    """Items ``0 … n-1``, each in a group of its own until joined."""

    __slots__ = ("_parent",)

    def __init__(self, n: int) -> None:
        self._parent = list(range(n))

    def find(self, i: int) -> int:
        """The smallest member of ``i``'s group."""
        parent = self._parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self._parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> list[list[int]]:
        """Every group, members in order, groups in the order of their smallest member."""
        found: dict[int, list[int]] = {}
        for i in range(len(self._parent)):
            found.setdefault(self.find(i), []).append(i)
        return [found[root] for root in sorted(found)]

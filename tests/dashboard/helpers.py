"""Helpers for reading rendered Dash layouts in tests without a browser."""

from __future__ import annotations

from typing import Any

from dash.development.base_component import Component


def text_of(node: Any) -> str:
    """All text in a component tree, in document order, as a browser would show it (roughly)."""
    if node is None or isinstance(node, bool):
        return ""
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, list | tuple):
        return " ".join(text_of(n) for n in node)
    if isinstance(node, Component):
        return text_of(getattr(node, "children", None))
    return ""


def find(node: Any, component_id: str) -> Component | None:
    """The component with this id in a layout tree, or None."""
    if isinstance(node, list | tuple):
        for n in node:
            hit = find(n, component_id)
            if hit is not None:
                return hit
        return None
    if isinstance(node, Component):
        if getattr(node, "id", None) == component_id:
            return node
        return find(getattr(node, "children", None), component_id)
    return None

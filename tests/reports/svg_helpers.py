"""Reading the icon arrays' SVG, shared by the example tests and the properties."""

from __future__ import annotations

import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def svg_groups(svg: str) -> tuple[ET.Element, list[ET.Element]]:
    """The SVG root and its groups (the filled icons, then the empty ones)."""
    root = ET.fromstring(svg)
    return root, root.findall(f"{SVG}g")

"""The colours in style.css keep text readable: WCAG contrast ratios computed from the stylesheet itself."""
import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parents[2] / "quotes" / "web" / "static" / "style.css").read_text(encoding="utf-8")
INK = "#1b1f24"


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def variable(name: str) -> str:
    return re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{6}})", CSS).group(1)


def test_ink_is_the_stylesheet_ink():
    assert variable("ink") == INK


@pytest.mark.parametrize("css_class", [f"sp-{i}" for i in range(8)] + ["sp-unknown"])
def test_speaker_colours_keep_7_to_1_with_the_text(css_class):
    background = re.search(rf"\.{css_class} \{{ background: (#[0-9a-fA-F]{{6}}); \}}", CSS).group(1)
    assert contrast(INK, background) >= 7


@pytest.mark.parametrize(
    "foreground, background, minimum",
    [
        ("muted", "paper", 4.5),
        ("muted", "tint", 4.5),
        ("accent", "paper", 4.5),
        ("accent", "tint", 4.5),
        ("error", "paper", 4.5),
        ("ink", "mark", 7),
    ],
)
def test_text_colours_meet_wcag_aa(foreground, background, minimum):
    assert contrast(variable(foreground), variable(background)) >= minimum


def test_header_links_are_white_on_dark_blue():
    assert contrast("#ffffff", variable("accent-dark")) >= 7

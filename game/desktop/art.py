"""Constructivist poster art, generated from shapes, deterministic per scene or character.

Each picture is a seeded ``random.Random`` deciding a composition in the manner of the
1920s Soviet avant-garde: a dominant circle, a diagonal band, Lissitzky's wedge, thin
rules, blocks, halftone dots and a large rotated date. The same seed always gives the
same picture, so a scene keeps its look between runs, and no image files are needed.
Drawn at twice the size and smoothed down, for clean edges without per-shape
antialiasing.
"""

from __future__ import annotations

import math
import random
from functools import lru_cache

import pygame

from game.desktop.theme import FONT_FILES, Palette, font_dir

SUPER = 2  # supersampling factor

Point = tuple[float, float]


def _rot(points: list[Point], centre: Point, angle: float) -> list[Point]:
    ca, sa = math.cos(angle), math.sin(angle)
    cx, cy = centre
    return [(cx + (x - cx) * ca - (y - cy) * sa, cy + (x - cx) * sa + (y - cy) * ca) for x, y in points]


def _rect(centre: Point, w: float, h: float, angle: float) -> list[Point]:
    cx, cy = centre
    pts = [(cx - w / 2, cy - h / 2), (cx + w / 2, cy - h / 2), (cx + w / 2, cy + h / 2), (cx - w / 2, cy + h / 2)]
    return _rot(pts, centre, angle)


def _band(surf: pygame.Surface, colour, centre: Point, thickness: float, angle: float) -> None:
    """A strip right across the picture through ``centre``."""
    w, h = surf.get_size()
    length = 3 * (w + h)
    pygame.draw.polygon(surf, colour, _rect(centre, length, thickness, angle))


def _wedge(surf: pygame.Surface, colour, tip: Point, angle: float, length: float, width: float) -> None:
    """A sharp triangle pointing along ``angle`` to ``tip``: the red wedge."""
    bx = tip[0] - math.cos(angle) * length
    by = tip[1] - math.sin(angle) * length
    nx, ny = -math.sin(angle) * width / 2, math.cos(angle) * width / 2
    pygame.draw.polygon(surf, colour, [tip, (bx + nx, by + ny), (bx - nx, by - ny)])


def _halftone(surf: pygame.Surface, colour, rect: pygame.Rect, step: int, rng: random.Random) -> None:
    """A field of dots that fade along one axis, as in a cheap print of a photograph."""
    horizontal = rng.random() < 0.5
    for y in range(rect.top, rect.bottom, step):
        for x in range(rect.left, rect.right, step):
            t = (x - rect.left) / max(1, rect.width) if horizontal else (y - rect.top) / max(1, rect.height)
            r = step * 0.45 * (1 - t)
            if r >= 1:
                pygame.draw.circle(surf, colour, (x, y), r)


def _tower(surf: pygame.Surface, colour, base_x: float, ground: float, height: float, width: float, line: int) -> None:
    """Shukhov's hyperboloid radio tower (1922): stacked sections of twisted straight lines."""
    sections = 5
    n = 12
    twist = math.radians(55)
    for s in range(sections):
        y0 = ground - height * s / sections
        y1 = ground - height * (s + 1) / sections
        r0 = width / 2 * (1 - 0.16 * s)
        r1 = width / 2 * (1 - 0.16 * (s + 1))
        for k in range(n):
            a = 2 * math.pi * k / n
            for sign in (1, -1):
                pygame.draw.line(surf, colour, (base_x + r0 * math.cos(a), y0), (base_x + r1 * math.cos(a + sign * twist), y1), line)
        pygame.draw.line(surf, colour, (base_x - r1, y1), (base_x + r1, y1), line * 2)
    top = ground - height
    pygame.draw.line(surf, colour, (base_x, top), (base_x, top - height * 0.08), line * 2)


def _chimneys(surf: pygame.Surface, colour, rng: random.Random, ground: float, unit: float) -> None:
    """A row of factory blocks and chimneys along the bottom edge."""
    w, h = surf.get_size()
    x = rng.uniform(-unit, 0)
    while x < w:
        bw = rng.uniform(1.5, 4) * unit
        bh = rng.uniform(1, 3) * unit
        pygame.draw.rect(surf, colour, pygame.Rect(x, ground - bh, bw, h - ground + bh + 2))
        if rng.random() < 0.6:
            cw = unit * rng.uniform(0.3, 0.5)
            ch = bh + rng.uniform(2, 5) * unit
            pygame.draw.rect(surf, colour, pygame.Rect(x + bw * rng.uniform(0.2, 0.7), ground - ch, cw, ch))
        x += bw + rng.uniform(0, 1) * unit


def _display_font(px: int) -> pygame.font.Font:
    try:
        return pygame.font.Font(str(font_dir() / FONT_FILES["display"]), px)
    except (OSError, pygame.error):
        return pygame.font.Font(None, px)


def _big_text(surf: pygame.Surface, text: str, colour, centre: Point, height: float, angle_deg: float, outline) -> None:
    if not text:
        return
    font = _display_font(max(8, int(height)))
    img = font.render(text, True, colour)
    # A knocked-out outline in the paper colour keeps the date legible over any shape.
    halo = font.render(text, True, outline)
    pad = max(2, int(height * 0.05))
    canvas = pygame.Surface((img.get_width() + 2 * pad, img.get_height() + 2 * pad), pygame.SRCALPHA)
    for dx in (-pad, 0, pad):
        for dy in (-pad, 0, pad):
            canvas.blit(halo, (pad + dx, pad + dy))
    canvas.blit(img, (pad, pad))
    canvas = pygame.transform.rotate(canvas, angle_deg)
    surf.blit(canvas, canvas.get_rect(center=(int(centre[0]), int(centre[1]))))


def _compose_poster(seed: str, w: int, h: int, p: Palette, caption: str) -> pygame.Surface:
    rng = random.Random(f"poster:{seed}")
    surf = pygame.Surface((w, h))
    unit = min(w, h) / 12
    grounds = [(p.art_cream, p.art_red, p.art_black)] * 6 + [(p.art_black, p.art_red, p.art_cream)] * 3 + \
              [(p.art_red, p.art_black, p.art_cream)] * 2
    bg, first, second = rng.choice(grounds)
    surf.fill(bg)
    # Faint paper fibres: a few long thin strokes in a slightly different tone.
    tone = tuple(max(0, min(255, c + (-10 if sum(bg) > 300 else 14))) for c in bg)
    for _ in range(rng.randint(6, 14)):
        y = rng.uniform(0, h)
        pygame.draw.line(surf, tone, (0, y), (w, y + rng.uniform(-h * 0.1, h * 0.1)), max(1, int(unit * 0.05)))

    angle = math.radians(rng.choice([-1, 1]) * rng.uniform(14, 38))
    # The dominant circle, often with rings.
    cx, cy = rng.uniform(0.25, 0.75) * w, rng.uniform(0.2, 0.6) * h
    radius = rng.uniform(0.28, 0.45) * min(w, h) * (1.3 if h > w * 1.3 else 1.0)
    pygame.draw.circle(surf, first, (cx, cy), radius)
    if rng.random() < 0.5:
        for k in range(1, rng.randint(2, 4)):
            pygame.draw.circle(surf, first, (cx, cy), radius + k * unit * 0.55, max(2, int(unit * 0.12)))
    # The band, crossing near the circle.
    bc = (cx + rng.uniform(-0.5, 0.5) * radius, cy + rng.uniform(0.4, 1.2) * radius)
    _band(surf, second, bc, rng.uniform(0.9, 1.9) * unit, angle)
    # A thin counter-band.
    _band(surf, first, (bc[0] + rng.uniform(-2, 2) * unit, bc[1] + rng.uniform(1, 3) * unit),
          max(3, unit * 0.18), angle + math.radians(rng.uniform(-8, 8)))
    # The wedge, driving into the circle from outside.
    approach = angle + math.radians(rng.choice([90, -90, 180, 0]) + rng.uniform(-25, 25))
    tip = (cx + math.cos(approach) * radius * 0.2, cy + math.sin(approach) * radius * 0.2)
    wedge_colour = p.art_red if first != p.art_red else second
    _wedge(surf, wedge_colour, tip, approach, rng.uniform(4, 7) * unit, rng.uniform(1.2, 2.4) * unit)
    # Parallel rules.
    if rng.random() < 0.7:
        origin = (rng.uniform(0, w), rng.uniform(0.6, 0.95) * h)
        gap = unit * rng.uniform(0.35, 0.6)
        for k in range(rng.randint(3, 6)):
            _band(surf, second if k % 2 else first, (origin[0], origin[1] + k * gap), max(2, unit * 0.08),
                  -angle)
    # Blocks along the diagonal.
    for _ in range(rng.randint(2, 5)):
        d = rng.uniform(-4, 4) * unit
        centre = (bc[0] + math.cos(angle) * d + rng.uniform(-1, 1) * unit,
                  bc[1] + math.sin(angle) * d - rng.uniform(1, 2.5) * unit)
        pygame.draw.polygon(surf, rng.choice([first, second]),
                            _rect(centre, rng.uniform(0.4, 2.2) * unit, rng.uniform(0.3, 1.0) * unit, angle))
    # Something of the period: a radio tower, a factory skyline, or printed dots.
    extra = rng.random()
    if extra < 0.3:
        _tower(surf, second, rng.uniform(0.2, 0.8) * w, h, rng.uniform(0.45, 0.7) * h, rng.uniform(1.6, 2.6) * unit,
               max(2, int(unit * 0.07)))
    elif extra < 0.6:
        _chimneys(surf, second, rng, h - rng.uniform(0.2, 0.8) * unit, unit * 0.9)
    else:
        size = int(rng.uniform(3, 5) * unit)
        rect = pygame.Rect(int(rng.uniform(0, w - size)), int(rng.uniform(0, h - size)), size, size)
        _halftone(surf, second, rect, max(6, int(unit * 0.45)), rng)
    # The date, set huge along the diagonal.
    if caption:
        _big_text(surf, caption, second, (w * rng.uniform(0.35, 0.65), h * rng.uniform(0.65, 0.85)),
                  unit * rng.uniform(2.4, 3.4), -math.degrees(angle), bg if bg != second else first)
    return surf


def _finish(surf: pygame.Surface, size: tuple[int, int]) -> pygame.Surface:
    return pygame.transform.smoothscale(surf, size).convert() if pygame.display.get_surface() else \
        pygame.transform.smoothscale(surf, size)


@lru_cache(maxsize=24)
def poster(seed: str, size: tuple[int, int], palette: Palette, caption: str = "") -> pygame.Surface:
    """A poster composition for ``seed`` (a scene id), ``size`` pixels, with ``caption`` (a year)."""
    w, h = max(8, size[0]), max(8, size[1])
    return _finish(_compose_poster(seed, w * SUPER, h * SUPER, palette, caption), (w, h))


#: What the known Old Bolsheviks looked like, as shapes. Unknown characters are seeded.
LIKENESS: dict[str, dict[str, str]] = {
    "trotsky": {"hair": "shock", "glasses": "round", "beard": "goatee"},
    "zinoviev": {"hair": "curly", "glasses": "", "beard": ""},
    "kamenev": {"hair": "short", "glasses": "round", "beard": "full"},
    "bukharin": {"hair": "receding", "glasses": "", "beard": "goatee"},
    "stalin": {"hair": "swept", "glasses": "", "beard": "moustache"},
}


def _compose_portrait(character: str, w: int, h: int, p: Palette) -> pygame.Surface:
    rng = random.Random(f"portrait:{character}")
    look = LIKENESS.get(character) or {
        "hair": rng.choice(["shock", "curly", "short", "receding", "swept"]),
        "glasses": rng.choice(["", "round"]),
        "beard": rng.choice(["", "goatee", "full", "moustache"]),
    }
    surf = pygame.Surface((w, h))
    surf.fill(p.art_cream)
    unit = min(w, h) / 12
    angle = math.radians(rng.choice([-1, 1]) * rng.uniform(18, 32))
    # Diagonal split of the ground: red above, cream below (or the reverse).
    _band(surf, p.art_red, (w * 0.5, h * rng.uniform(0.15, 0.35)), h * 0.6, angle)
    cx, cy = w * rng.uniform(0.45, 0.55), h * 0.46
    r = min(w, h) * 0.34
    pygame.draw.circle(surf, p.art_black, (cx + unit * rng.uniform(-1.5, 1.5), cy - unit * 0.6), r * 1.25, max(2, int(unit * 0.2)))
    # Shoulders: a dark trapezoid with a red lapel wedge.
    sh_top = cy + r * 0.75
    pygame.draw.polygon(surf, p.art_black, [(cx - r * 1.6, h + 2), (cx - r * 0.9, sh_top), (cx + r * 0.9, sh_top), (cx + r * 1.6, h + 2)])
    _wedge(surf, p.art_red, (cx + r * 0.05, sh_top + r * 0.9), math.radians(100), r * 1.0, r * 0.5)
    pygame.draw.rect(surf, p.art_grey, pygame.Rect(cx - r * 0.22, cy + r * 0.45, r * 0.44, r * 0.45))
    # The head: a cream oval with its shadow side in grey, photomontage style.
    head = pygame.Rect(0, 0, r * 1.25, r * 1.55)
    head.center = (int(cx), int(cy))
    pygame.draw.ellipse(surf, p.art_cream, head)
    shadow = pygame.Surface(head.size, pygame.SRCALPHA)
    pygame.draw.ellipse(shadow, (*p.art_grey, 255), shadow.get_rect())
    shadow.fill((0, 0, 0, 0), pygame.Rect(0, 0, head.width // 2, head.height))
    surf.blit(shadow, head)
    pygame.draw.ellipse(surf, p.art_black, head, max(2, int(unit * 0.12)))
    hair = look["hair"]
    top = head.top
    if hair == "shock":
        for k in range(9):
            a = math.radians(200 + k * 17.5)
            pygame.draw.circle(surf, p.art_black, (cx + math.cos(a) * r * 0.6, top + r * 0.35 + math.sin(a) * r * 0.45), r * 0.32)
    elif hair == "curly":
        for k in range(12):
            a = math.radians(185 + k * 15)
            pygame.draw.circle(surf, p.art_black, (cx + math.cos(a) * r * 0.62, top + r * 0.4 + math.sin(a) * r * 0.42), r * 0.22)
    elif hair == "short":
        pygame.draw.ellipse(surf, p.art_black, pygame.Rect(head.left, top - r * 0.05, head.width, r * 0.6))
    elif hair == "swept":
        pygame.draw.polygon(surf, p.art_black, [(head.left, top + r * 0.45), (cx - r * 0.2, top - r * 0.1), (head.right + r * 0.1, top + r * 0.1), (head.right, top + r * 0.45)])
    else:  # receding: hair only at the sides
        pygame.draw.ellipse(surf, p.art_black, pygame.Rect(head.left - r * 0.05, top + r * 0.3, r * 0.25, r * 0.55))
        pygame.draw.ellipse(surf, p.art_black, pygame.Rect(head.right - r * 0.2, top + r * 0.3, r * 0.25, r * 0.55))
    eye_y = cy - r * 0.05
    for side in (-1, 1):
        ex = cx + side * r * 0.27
        pygame.draw.circle(surf, p.art_black, (ex, eye_y), r * 0.06)
        if look["glasses"]:
            pygame.draw.circle(surf, p.art_black, (ex, eye_y), r * 0.18, max(2, int(unit * 0.08)))
    if look["glasses"]:
        pygame.draw.line(surf, p.art_black, (cx - r * 0.09, eye_y), (cx + r * 0.09, eye_y), max(2, int(unit * 0.08)))
    pygame.draw.line(surf, p.art_black, (cx, eye_y + r * 0.08), (cx - r * 0.06, eye_y + r * 0.3), max(2, int(unit * 0.08)))
    beard = look["beard"]
    mouth_y = cy + r * 0.4
    if beard in ("goatee", "full", "moustache"):
        pygame.draw.polygon(surf, p.art_black, [(cx - r * 0.3, mouth_y - r * 0.06), (cx + r * 0.3, mouth_y - r * 0.06), (cx + r * 0.18, mouth_y + r * 0.04), (cx - r * 0.18, mouth_y + r * 0.04)])
    if beard == "goatee":
        pygame.draw.polygon(surf, p.art_black, [(cx - r * 0.2, mouth_y + r * 0.12), (cx + r * 0.2, mouth_y + r * 0.12), (cx, head.bottom + r * 0.3)])
    elif beard == "full":
        # A trimmed beard along the jaw from the cheeks to a short point, with the mouth open
        # in it (cream) under the moustache, so it reads as a beard, not a gag over the face.
        pygame.draw.polygon(surf, p.art_black, [
            (head.left + r * 0.06, cy + r * 0.22), (head.left + r * 0.2, cy + r * 0.26), (cx - r * 0.22, mouth_y + r * 0.02),
            (cx + r * 0.22, mouth_y + r * 0.02), (head.right - r * 0.2, cy + r * 0.26), (head.right - r * 0.06, cy + r * 0.22),
            (cx + r * 0.34, head.bottom + r * 0.04), (cx, head.bottom + r * 0.22), (cx - r * 0.34, head.bottom + r * 0.04)])
        mouth = pygame.Rect(0, 0, r * 0.34, r * 0.1)
        mouth.center = (int(cx), int(mouth_y + r * 0.11))
        pygame.draw.ellipse(surf, p.art_cream, mouth)
        pygame.draw.polygon(surf, p.art_black, [(cx - r * 0.3, mouth_y - r * 0.06), (cx + r * 0.3, mouth_y - r * 0.06),
                                                (cx + r * 0.18, mouth_y + r * 0.04), (cx - r * 0.18, mouth_y + r * 0.04)])
    else:
        pygame.draw.line(surf, p.art_black, (cx - r * 0.15, mouth_y + r * 0.08), (cx + r * 0.15, mouth_y + r * 0.08), max(2, int(unit * 0.08)))
    # A few rules and a block, to sit the head in a composition.
    for k in range(3):
        _band(surf, p.art_black, (w * 0.5, h * 0.9 + k * unit * 0.5), max(2, unit * 0.08), angle)
    pygame.draw.polygon(surf, p.art_red, _rect((w * rng.uniform(0.1, 0.9), h * rng.uniform(0.05, 0.2)), unit * 2.5, unit * 0.7, angle))
    return surf


@lru_cache(maxsize=16)
def portrait(character: str, size: tuple[int, int], palette: Palette) -> pygame.Surface:
    """A constructivist likeness of ``character`` at ``size`` pixels."""
    w, h = max(8, size[0]), max(8, size[1])
    return _finish(_compose_portrait(character, w * SUPER, h * SUPER, palette), (w, h))

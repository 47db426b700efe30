"""Who works in the demo shop and how they sign in; no database needed, so `kiosk demo` starts quickly."""

from __future__ import annotations

from dataclasses import replace

from .config import Settings, data_dir
from .i18n import N_
from .i18n import gettext as _
from .text import cell_width

DEMO_PINS = {"technician": "1111", "parts_clerk": "2222", "advisor": "3333", "manager": "4444"}

STAFF = [
    ("T101", "Li Wei 李伟", "technician"),
    ("T102", "Zhang Min 张敏", "technician"),
    ("T103", "Dave Miller", "technician"),
    ("T104", "Wang Fang 王芳", "technician"),
    ("T105", "Chen Jie 陈杰", "technician"),
    ("C201", "Liu Yang 刘洋", "parts_clerk"),
    ("C202", "Sarah Jones", "parts_clerk"),
    ("A301", "Zhao Lei 赵磊", "advisor"),
    ("A302", "Emma Brown", "advisor"),
    ("A303", "Sun Li 孙丽", "advisor"),
    ("M401", "Huang Gang 黄刚", "manager"),
    ("M402", "Peter Clark", "manager"),
]


def demo_settings(settings: Settings) -> Settings:
    printers = settings.printers or {"labels": {"backend": "folder", "path": str(data_dir() / "demo-labels"),
                                                "stock": "brother-62x29", "dpi": 300}}
    return replace(settings, shop_name=settings.shop_name if settings.shop_name != "Workshop"
                   else "Demo Motors 演示汽修", printers=printers,
                   default_printer=settings.default_printer or next(iter(printers)),
                   labour_rate=settings.labour_rate or "380")


# The roles as the badge list names them (in the shop's language).
ROLE_WORDS = {"technician": N_("technician"), "parts_clerk": N_("parts clerk"), "advisor": N_("advisor"),
              "manager": N_("manager")}


def badge_sheet() -> str:
    lines = [_("Demo badges (scan or type the badge, then the PIN):")]
    for badge, name, role in STAFF:
        word = _(ROLE_WORDS[role])  # a CJK character takes two columns
        lines.append(f"  {badge}  PIN {DEMO_PINS[role]}  {word}{' ' * max(1, 13 - cell_width(word))}{name}")
    return "\n".join(lines)

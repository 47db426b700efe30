"""Print every speed figure of the kiosk, one line each: `name: value unit ...`.

Each bench module builds its own data at the sizes the issues name (cached in bench/.data/).
"""

from __future__ import annotations

import importlib
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

BENCHES = [
    ("startup_bench", "bench_startup"),
    ("stock_bench", "bench_stock"),
    ("label_bench", "bench_label_render"),
    ("room_bench", "bench_room"),
    ("desk_bench", "bench_desk"),
    ("reports_bench", "bench_reports"),
    ("ssh_burst_bench", "bench_ssh_burst"),
    ("backup_bench", "bench_backup"),
    ("import_bench", "bench_imports"),
]


def main(only: list[str]) -> int:
    failed = 0
    for module_name, function in BENCHES:
        if only and module_name not in only:
            continue
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        try:
            for line in getattr(module, function)():
                print(line, flush=True)
        except Exception:  # noqa: BLE001 - one broken bench must not hide the others' figures
            failed += 1
            print(f"{module_name}: FAILED", flush=True)
            traceback.print_exc()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Regenerate caseapp/wards/data/hanoi_wards.json from the vietnam-provinces package.

Dev-only: `pip install '.[wards-source]' && python scripts/export_wards.py`. The package is GPL-3.0-or-later,
so the runtime reads the exported facts (official codes and names) and never imports it.
"""

from __future__ import annotations

import json
from pathlib import Path

import vietnam_provinces as vp
from vietnam_provinces import ProvinceCode, Ward

OUT = Path(__file__).resolve().parent.parent / "caseapp" / "wards" / "data" / "hanoi_wards.json"
HANOI = ProvinceCode(1)


def main() -> None:
    wards = sorted(Ward.iter_by_province(HANOI), key=lambda w: int(w.code))
    data = {
        "source": "vietnam-provinces (PyPI), data of the General Statistics Office of Viet Nam",
        "source_version": vp.__version__,
        "data_version": vp.__data_version__,
        "license_note": "Facts only (official codes and names); the package itself is GPL-3.0-or-later "
        "and is not a runtime dependency. Regenerate with scripts/export_wards.py.",
        "province_code": 1,
        "province_name": "Thành phố Hà Nội",
        "wards": [
            {
                "code": int(w.code),
                "name": w.name,
                "kind": "phuong" if w.division_type.value == "phường" else "xa",
                "codename": w.codename,
            }
            for w in wards
        ],
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(wards)} wards to {OUT}")


if __name__ == "__main__":
    main()

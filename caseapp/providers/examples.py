"""A handful of clearly fictional providers for the demo: "(ví dụ)" in every name, made-up addresses."""

from __future__ import annotations

from collections.abc import Sequence

from caseapp.providers.models import Provider
from caseapp.providers.services import ProviderData, add_provider

# (name, categories, serves the whole city?)
EXAMPLES: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    ("Trung tâm Hỗ trợ Ánh Dương (ví dụ)", ("psychological", "social_assistance"), True),
    ("Văn phòng Trợ giúp pháp lý Bình Minh (ví dụ)", ("legal",), True),
    ("Phòng khám Cộng đồng Hoa Sen (ví dụ)", ("health",), False),
    ("Trường Dạy nghề Tương Lai (ví dụ)", ("vocational_training", "job_placement"), True),
    ("Sàn Giao dịch Việc làm Cơ Hội (ví dụ)", ("job_placement",), False),
    ("Nhóm Tự lực Bạn Đồng Hành (ví dụ)", ("psychological", "health"), False),
    ("Quỹ Trợ giúp Xã hội Mái Ấm (ví dụ)", ("social_assistance",), False),
)


def seed_examples(*, ward_codes: Sequence[int]) -> list[Provider]:
    """Add the fictional providers (marked demo) to this transaction; local ones share out the wards."""
    local = [e for e in EXAMPLES if not e[2]]
    providers = []
    for index, (name, categories, citywide) in enumerate(EXAMPLES):
        share = [] if citywide else list(ward_codes[local.index((name, categories, citywide)) :: len(local)])
        data = ProviderData(
            name=name,
            categories=categories,
            address=f"Số {index + 1} phố Ví Dụ, Hà Nội (địa chỉ không có thật)",
            phone=f"024 0000 00{index + 1:02d}",
            ward_codes=share,
        )
        providers.append(add_provider(actor=None, data=data, demo=True))
    return providers

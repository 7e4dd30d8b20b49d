"""The user's unit (乡/镇/街道) and its administrative parents, from ``--unit`` or the facts file."""

from dataclasses import dataclass, field

UNIT_KINDS = ("街道", "镇", "乡")  # 街道 first: "xx街道" must not be read as kind 道


@dataclass(frozen=True)
class UnitInfo:
    name: str  # 青石镇
    kind: str = ""  # 镇 / 乡 / 街道
    county: str = ""  # 和平县
    city: str = ""  # 云岭市
    province: str = ""  # 云南省
    aliases: tuple[str, ...] = field(default=())

    @classmethod
    def from_name(cls, name: str) -> "UnitInfo":
        name = name.strip()
        kind = next((k for k in UNIT_KINDS if name.endswith(k)), "")
        return cls(name=name, kind=kind)

    @property
    def short(self) -> str:
        """青石镇 → 青石 (the form used in 青石发布, 青石人)."""
        if self.kind and self.name.endswith(self.kind) and len(self.name) - len(self.kind) >= 2:
            return self.name[: -len(self.kind)]
        return self.name

    def own_names(self) -> set[str]:
        """Every name that belongs to the user and must never be flagged as foreign."""
        names = {self.name, self.short, *self.aliases}
        for parent in (self.county, self.city, self.province):
            if parent:
                names.add(parent)
                names.add(_strip_admin_suffix(parent))
        return {n for n in names if n}


def _strip_admin_suffix(name: str) -> str:
    for suffix in ("自治州", "自治县", "地区", "省", "市", "州", "县", "区", "盟", "旗"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name

"""What the user tells drafter about their year: unit, period, metrics, events and free text.

Every number a report states must trace back to one of these. ``line`` fields remember where each item
was written in the facts file, so a finding can say "事实文件第 12 行".
"""

from dataclasses import dataclass, field

from drafter.resources import load_lexicon
from drafter.unit import UnitInfo

# The periods a facts file may name (corpus/lexicons/periods.yaml).
SPANS: tuple[str, ...] = tuple(load_lexicon("periods")["spans"])


@dataclass(frozen=True)
class Metric:
    """One counted fact: 党课 25 次, 中心组学习出席率 98 % 以上, 道德讲堂参加人员 200 余人."""

    name: str
    value: float
    unit: str
    qualifier: str | None = None  # 余 / 多 / 近 / 约 / 以上 / 超过 / 不到
    aliases: tuple[str, ...] = ()
    section: str | None = None  # the report section it belongs to (组织领导, 理论学习 …), optional
    topic: str | None = None
    line: int | None = None
    # The part of the year the figure covers when it is not the report's own (上半年, 前三季度 …).
    period: str | None = None
    # "done" (已/建成/完成) or "planned" (拟/计划/将); None: done, the usual case in a summary.
    status: str | None = None
    # Names of the metrics this one is the total of ("县级以上媒体用稿" over "市级以上媒体用稿" …).
    parts: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def named_in(self, sentence: str) -> bool:
        """Does ``sentence`` name this fact (its name or an alias, see ``name_covered``)? "撤除破损宣传牌48块"
        does not name 宣传栏; "中心组集体学习12次，出席率达96%" names 中心组学习出席率. For a figure someone
        borrows, fills or generates, a near name is a guess."""
        return any(name_covered(name, sentence) for name in self.names)

    @property
    def approximate(self) -> bool:
        """余 / 多 / 近 / 约 / 超过 / 不到: the value is a bound, not a tally (以上 is exact enough to total)."""
        return self.qualifier in SUFFIX_QUALIFIERS or self.qualifier in PREFIX_QUALIFIERS

    def display(self) -> str:
        """How the value reads in a report: "25次", "98%以上", "200余人"."""
        from drafter.numerals import format_number

        return qualify(format_number(self.value), self.unit, self.qualifier)


# between number and unit (200余人), before the number (近100人); anything else (以上) goes last
# (corpus/lexicons/qualifiers.yaml, placement)
SUFFIX_QUALIFIERS: tuple[str, ...] = tuple(load_lexicon("qualifiers")["placement"]["between"])
PREFIX_QUALIFIERS: tuple[str, ...] = tuple(load_lexicon("qualifiers")["placement"]["before"])


def qualify(number: str, unit: str, qualifier: str | None) -> str:
    """A written number with its unit and qualifier in the genre's order: 200余人, 近100人, 98%以上."""
    q = qualifier or ""
    if q in SUFFIX_QUALIFIERS:
        return f"{number}{q}{unit}"
    if q in PREFIX_QUALIFIERS:
        return f"{q}{number}{unit}"
    return f"{number}{unit}{q}"


NAMED_SHARE = 0.5  # of a name's characters, in runs of 2 or more that the sentence has
NAMED_RUN = 3  # and one run at least this long (or the whole of a shorter name)


def name_covered(name: str, sentence: str) -> bool:
    """Is ``name`` written in ``sentence``, allowing words between its parts (中心组……学习)? Half
    of its characters must sit in runs of two or more that the sentence has, one run of three:
    宣传栏 against 宣传牌 has only 宣传, 所辖村（社区） against 社区 a third."""
    if not name:
        return False
    covered = [False] * len(name)
    longest = 0
    for i in range(len(name)):
        j = i + 2
        while j <= len(name) and name[i:j] in sentence:
            j += 1
        if j - 1 - i >= 2:
            covered[i : j - 1] = [True] * (j - 1 - i)
            longest = max(longest, j - 1 - i)
    return longest >= min(NAMED_RUN, len(name)) and sum(covered) >= NAMED_SHARE * len(name)


STATUSES = ("done", "planned")


@dataclass(frozen=True)
class Period:
    year: int | None = None
    span: str | None = None  # 全年 / 上半年 / 第三季度 …


@dataclass(frozen=True)
class Event:
    what: str
    date: str | None = None  # "2025-03" or "2025-03-15"
    line: int | None = None

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None

    @property
    def month(self) -> int | None:
        return int(self.date[5:7]) if self.date and len(self.date) >= 7 else None

    @property
    def day(self) -> int | None:
        return int(self.date[8:10]) if self.date and len(self.date) >= 10 else None


@dataclass
class Facts:
    unit: UnitInfo | None = None
    period: Period = field(default_factory=Period)
    metrics: list[Metric] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    highlights: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    plans: list[str] = field(default_factory=list)
    date: str | None = None  # 成文日期 "2025-12-20", for the date line under the signature
    path: str | None = None

    def unit_info(self) -> UnitInfo | None:
        """The user's unit for the place rules; None when the facts file names none."""
        return self.unit

    def free_texts(self) -> list[str]:
        """Highlights, problems, plans and event descriptions: numbers written there count as supported."""
        texts = [*self.highlights, *self.problems, *self.plans]
        texts.extend(e.what for e in self.events)
        return texts

    def metric(self, name: str) -> Metric | None:
        return next((m for m in self.metrics if name in m.names), None)

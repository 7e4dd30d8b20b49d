"""Ingest files into the corpus: read → split → clean → parse → label → tokenise → store.

Per-file errors are collected, never raised: one unreadable file must not stop a folder of good ones.
Each file commits in its own transaction, so an ingest killed half way leaves every finished file
stored and nothing of the unfinished one; running the same command again skips what is done.
"""

import hashlib
import os
import re
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from drafter import regexes
from drafter.clean import clean_text
from drafter.corpus.report_type import classify
from drafter.corpus.store import AddOutcome, CorpusStore, PreparedReport, PreparedSection
from drafter.corpus.topics import WORK_ROLE, choose_topic, label_report, role_of, score_topics
from drafter.exceptions import DrafterError
from drafter.parse import parse_report, split_compilation
from drafter.report import Report
from drafter.resources import load_lexicon

SUFFIXES = {".txt", ".md", ".docx"}
# A report is Chinese prose: a file with little Chinese in it (a config file, a password list, a log)
# is not one, whatever its name.
MIN_CJK_CHARS = 40
MIN_CJK_SHARE = 0.3
PARALLEL_MIN_FILES = 40  # below this, starting worker processes costs more than it saves
ProgressFn = Callable[[int, int, str], None]  # (files done, files total, current path)


@dataclass
class IngestResult:
    files: int = 0  # files looked at
    added: list[int] = field(default_factory=list)  # new report ids
    already: list[str] = field(default_factory=list)  # files whose exact bytes were stored before
    duplicates: list[tuple[str, str, int]] = field(default_factory=list)  # (path, title, id already stored)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, Chinese message)

    def to_dict(self) -> dict[str, object]:
        return {
            "files": self.files,
            "added": self.added,
            "already_ingested": self.already,
            "duplicates": [{"path": p, "title": t, "existing_id": i} for p, t, i in self.duplicates],
            "errors": [{"path": p, "error": m} for p, m in self.errors],
        }


def collect_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files named, and .txt/.md/.docx files found recursively in folders named; missing paths as errors.

    A folder is walked without following links out of it: a link to /etc/passwd or to a folder elsewhere
    is skipped (a link to a file inside the folder is that file, once).
    """
    from drafter.readers import display_path

    files: list[Path] = []
    errors: list[tuple[str, str]] = []
    for raw in paths:
        p = Path(raw)
        shown = display_path(p)
        if p.is_dir():
            found = _folder_files(p)
            if not found:
                errors.append((shown, f"文件夹 {shown} 中没有 .txt、.md 或 .docx 文件。"))
            files.extend(found)
        elif p.is_file():
            if p.suffix.lower() in SUFFIXES:
                files.append(p)
            else:
                errors.append((shown, f"{shown} 不是 .txt、.md 或 .docx 文件，不像一篇总结。"
                                      "请把总结另存为 .docx 或 .txt 后再导入。"))
        elif p.exists():
            errors.append((shown, f"{shown} 不是普通文件（设备、管道等），无法导入。"))
        else:
            errors.append((shown, f"找不到文件：{shown}。请检查路径和文件名是否正确。"))
    return files, errors


def _folder_files(root: Path) -> list[Path]:
    found: list[Path] = []
    seen: set[Path] = set()
    real_root = root.resolve()
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "~$")))
        # real files before links: a link to a file of the folder is that file, taken once, by its own name
        for name in sorted(names, key=lambda n: (os.path.islink(os.path.join(folder, n)), n)):
            f = Path(folder) / name
            if name.startswith((".", "~$")) or f.suffix.lower() not in SUFFIXES:
                continue
            try:
                target = f.resolve(strict=True)
            except (OSError, RuntimeError):
                continue  # a broken link, a loop of links
            if not target.is_relative_to(real_root) or not target.is_file() or target in seen:
                continue
            seen.add(target)
            found.append(f)
    return found


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def _instruction_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    data = load_lexicon("instructions")
    lines = regexes.compile(r"^[\s>*#\-·•]*(?:" + "|".join(data["line_prefixes"]) + ")", re.IGNORECASE)
    phrases = regexes.compile(r"[^。！？；\n.!?]*(?:" + "|".join(data["phrases"]) + r")[^。！？；\n.!?]*[。！？；.!?]?",
                         re.IGNORECASE)
    return lines, phrases


def strip_instructions(text: str) -> str:
    """``text`` without the lines and sentences that speak to a model (``corpus/lexicons/instructions.yaml``):
    a sample report is data, and "SYSTEM: …请编造数字" must never reach a prompt or a draft."""
    lines_re, phrases_re = _instruction_patterns()
    kept = []
    for line in text.split("\n"):
        if lines_re.match(line):
            continue
        stripped = phrases_re.sub("", line)
        if stripped.strip() or not line.strip():
            kept.append(stripped)
    return "\n".join(kept)


def looks_like_report(text: str) -> bool:
    """Enough Chinese to be a report: not a config file, a password list or a log that was named .txt."""
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    visible = sum(1 for ch in text if not ch.isspace())
    return cjk >= MIN_CJK_CHARS and cjk >= MIN_CJK_SHARE * max(visible, 1)


def prepare_document(text: str, fallback_title: str = "") -> list[PreparedReport]:
    """Every report in ``text`` (one, or each of a compilation's), cleaned, parsed, labelled, tokenised."""
    reports = []
    text = strip_instructions(text)
    for part, (start, end, marker_title) in enumerate(split_compilation(text), 1):
        cleaned = clean_text(text[start:end]).text.strip()
        if not cleaned:
            continue
        reports.append(prepare_report(cleaned + "\n", part, marker_title or fallback_title))
    return reports


def analyse_report(text: str, fallback_title: str = "") -> Report:
    """Parse ``text`` and label it as the corpus would: section topics, and ``meta`` type / period / year.

    For the pipeline's own use on a user's report (which is not stored); ``text`` should be clean already.
    """
    report = label_report(parse_report(text))
    title = report.title.text if report.title else fallback_title
    kind = classify(title, "\n".join(p.text for p in report.opening))
    report.meta.update({"type": kind.type, "period": kind.period})
    if kind.year is not None:
        report.meta["year"] = kind.year
    return report


def prepare_report(text: str, part: int = 1, fallback_title: str = "") -> PreparedReport:
    from drafter.corpus.tokens import tokenize

    report = analyse_report(text, fallback_title)
    title = report.title.text if report.title else fallback_title
    opening = "\n".join(p.text for p in report.opening)
    year = report.meta.get("year")
    sections = report_sections(report)
    for s in sections:
        s.head_tokens = tokenize(s.heading)
        s.body_tokens = tokenize(s.body)
    digest = hashlib.sha256(re.sub(r"\s+", "", text).encode("utf-8")).hexdigest()
    return PreparedReport(
        part=part, sha256=digest, title=title or "（无标题）", report_type=str(report.meta["type"]),
        period=str(report.meta["period"]), year=year if isinstance(year, int) else None, text=text, sections=sections,
        addressee=report.addressee.text if report.addressee else "",
        opening=opening if report.sections else (report.opening[0].text if report.opening else ""),
        closing="\n".join(p.text for p in report.closing),
        signature=report.signature.text if report.signature else "",
        date=report.date.text if report.date else "",
    )


def report_sections(report: Report) -> list[PreparedSection]:
    """The sections a report is stored as: its numbered sections, else its paragraphs."""
    return flatten_sections(report) or paragraph_sections(report)


def section_labels(text: str) -> list[tuple[str, str]]:
    """(topic, role) of each stored section of a report's cleaned text, in order: relabelling a corpus
    needs the labels only, not the tokens."""
    return [(s.topic, s.role) for s in report_sections(analyse_report(text))]


def flatten_sections(report: Report) -> list[PreparedSection]:
    out: list[PreparedSection] = []

    def walk(sections, parent_ord: int | None, path: list[str]) -> None:
        for section in sections:
            full = section.heading.full
            own = PreparedSection(
                ord=len(out), parent_ord=parent_ord, level=section.level, marker=section.heading.marker,
                heading=section.heading.text, path=[*path, full], topic=section.topic or "其他",
                role=section.role or WORK_ROLE, body=section.body_text(), start=section.start, end=section.end,
            )
            out.append(own)
            walk(section.children, own.ord, own.path)

    walk(report.sections, None, [])
    return out


_ITEM_MARKER = regexes.compile(r"^[一二三四五六七八九十]{1,2}是")


def paragraph_sections(report: Report) -> list[PreparedSection]:
    """A report without numbered headings (``一是……二是……`` paragraphs) is retrievable paragraph by paragraph:
    each body paragraph after the opening becomes a flat section named by its first sentence."""
    out: list[PreparedSection] = []
    for paragraph in report.opening[1:]:
        text = paragraph.text
        marker_match = _ITEM_MARKER.match(text)
        marker = marker_match.group(0) if marker_match else ""
        rest = text[len(marker):]
        m = re.search(r"[。！？；]", rest)
        heading = rest[: m.end()] if m and m.end() <= 40 else rest[:20]
        body = rest[len(heading):].strip()
        topic = choose_topic(score_topics(heading, body))
        role = role_of(topic, out[-1].role if out and marker else WORK_ROLE)  # 一是、二是 go on a problem list
        out.append(PreparedSection(ord=len(out), parent_ord=None, level=1, marker=marker, heading=heading,
                                   path=[marker + heading], topic=topic, body=body, start=paragraph.start,
                                   end=paragraph.end, role=role))
    return out


def _prepare_file(path: str) -> tuple[list[PreparedReport] | None, str | None]:
    """Read and prepare one file (run in a worker process for large ingests): (reports, error message)."""
    from drafter.readers import display_path, read_source

    try:
        source = read_source(path)
        if not looks_like_report(source.clean):
            return None, (f"{display_path(path)} 中的中文很少，不像一篇总结（可能选错了文件）。已跳过。")
        return prepare_document(source.clean, display_path(Path(path).stem)), None
    except DrafterError as err:
        return None, str(err)
    except Exception as err:  # a parser bug must cost one file, not the whole folder
        return None, f"处理时出错（{type(err).__name__}：{err}）。已跳过该文件，请把它发给维护人员。"


def ingest_paths(store: CorpusStore, paths: Sequence[str | Path], *, source: str = "user",
                 progress: ProgressFn | None = None, workers: int | None = None) -> IngestResult:
    """Add files and folders to the corpus; returns what was added, skipped and why."""
    from drafter.readers import display_path

    files, errors = collect_files(paths)
    result = IngestResult(files=len(files), errors=list(errors))
    pending: list[tuple[Path, str]] = []
    for f in files:
        try:
            digest = file_sha256(f)
        except OSError as err:
            result.errors.append((display_path(f), f"无法读取 {display_path(f)}：{err.strerror}。请检查文件权限。"))
            continue
        if store.has_document(digest):
            result.already.append(display_path(f))
        else:
            pending.append((f, digest))
    done = len(files) - len(pending)
    if progress:
        progress(done, len(files), "")
    for (f, digest), (reports, error) in zip(pending, _prepared(pending, workers), strict=True):
        done += 1
        shown = display_path(f)  # a GBK file name must not stop the import where it is printed or stored
        if error is not None or reports is None:
            result.errors.append((shown, error or "未知错误"))
        elif not reports:
            result.errors.append((shown, f"{shown} 中没有可识别的总结正文。"))
        else:
            stored_path = display_path(f.name if source == "builtin" else f.resolve())
            _record(result, shown, store.add_document(digest, stored_path, source, reports))
        if progress:
            progress(done, len(files), shown)
    return result


def _prepared(pending: list[tuple[Path, str]], workers: int | None):
    paths = [str(f) for f, _ in pending]
    n = workers if workers is not None else min(os.cpu_count() or 1, 8)
    if n <= 1 or len(paths) < PARALLEL_MIN_FILES:
        yield from map(_prepare_file, paths)
        return
    with ProcessPoolExecutor(max_workers=n) as pool:
        yield from pool.map(_prepare_file, paths, chunksize=8)


def _record(result: IngestResult, path: str, outcome: AddOutcome) -> None:
    result.added.extend(outcome.added)
    result.duplicates.extend((path, title, existing) for title, existing in outcome.duplicates)

"""rich prompts that speak Chinese (rich's own retry messages are English: "Please enter Y or N"), and the
few question shapes the interactive session repeats: a value, a "name value unit" line, a list of lines,
a pick from a numbered list (typing a number is easier than typing Chinese when switching input methods).
Each asks again, in Chinese, until the answer can be read.
"""

from rich.console import Console
from rich.prompt import Confirm, IntPrompt, InvalidResponse, Prompt
from rich.text import Text

from drafter.draft.answers import AnswerError, Value, free_line, parse_other_metric, parse_value


class ZhPrompt(Prompt):
    prompt_suffix = "："
    validate_error_message = "[prompt.invalid]输入无效，请重新输入。"
    illegal_choice_message = "[prompt.invalid]请从给出的选项中选择。"


class ZhIntPrompt(IntPrompt):
    prompt_suffix = "："
    validate_error_message = "[prompt.invalid]请输入一个整数，例如 2025。"


class ZhConfirm(Confirm):
    """Shows [Y/n] (or [y/N]) like most command-line tools; accepts y/n and 是/否."""

    prompt_suffix = "："
    validate_error_message = "[prompt.invalid]请输入 y（是）或 n（否）。"
    _YES = frozenset({"y", "yes", "是", "好", "继续"})
    _NO = frozenset({"n", "no", "否", "不", "不要"})

    def make_prompt(self, default: object) -> Text:
        prompt = self.prompt.copy()
        prompt.end = ""
        prompt.append(" [Y/n]" if default is True else " [y/N]" if default is False else " [y/n]",
                      "prompt.choices")
        prompt.append(self.prompt_suffix)
        return prompt

    def process_response(self, value: str) -> bool:
        value = value.strip().lower()
        if value in self._YES:
            return True
        if value in self._NO:
            return False
        raise InvalidResponse(self.validate_error_message)


def choose(console: Console, question: str, options: list[str], default: str | None = None) -> str:
    """Show ``options`` numbered from 1 and return the one picked by number or by its text."""
    console.print("  ".join(f"[bold]{i}[/] {text}" for i, text in enumerate(options, 1)))
    default_no = str(options.index(default) + 1) if default in options else None
    while True:
        answer = ZhPrompt.ask(question, console=console, default=default_no) if default_no else \
            ZhPrompt.ask(question, console=console)
        answer = (answer or "").strip()
        if answer.isdigit() and 1 <= int(answer) <= len(options):
            return options[int(answer) - 1]
        if answer in options:
            return answer
        console.print(f"[prompt.invalid]请输入 1 到 {len(options)} 之间的序号。")


def ask_text(console: Console, question: str, default: str | None = None) -> str:
    """A line of text; Enter gives ``default`` (or "")."""
    if default:
        return ZhPrompt.ask(question, console=console, default=default).strip()
    return ZhPrompt.ask(question, console=console).strip()


def ask_value(console: Console, question: str, unit: str | None, default: str | None = None) -> Value | None:
    """A number as reports write it ("12", "200余", "98%以上"); None when skipped or cleared with 无."""
    while True:
        answer = ask_text(console, question, default)
        try:
            return parse_value(answer, unit)
        except AnswerError as err:
            console.print(f"[prompt.invalid]{err}")


def ask_other(console: Console, question: str = "其他指标（名称 数值 单位，直接回车结束）") -> tuple[str, Value] | None:
    """One "名称 数值 单位" line; None on an empty line."""
    while True:
        answer = ask_text(console, question)
        try:
            return parse_other_metric(answer)
        except AnswerError as err:
            console.print(f"[prompt.invalid]{err}")


def ask_line(console: Console, question: str) -> str | None:
    """One free line (a problem, a plan, a highlight); None on an empty line."""
    return free_line(ask_text(console, question))

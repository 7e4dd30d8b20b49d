"""Read the paragraphs of a .docx in document order, tables included (WPS-saved files too)."""

import zipfile
from pathlib import Path

from drafter.exceptions import InputError


def docx_paragraphs(path: Path) -> list[str]:
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError

        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError) as err:
        raise InputError(
            f"{path} 不是有效的 Word 文件，可能已损坏。请用 Word/WPS 打开后“另存为” .docx，或改用 .txt。"
        ) from err
    except Exception as err:  # lxml errors and the like: still a damaged file to the user
        raise InputError(f"{path} 无法作为 Word 文件打开（{type(err).__name__}）。请另存为 .docx 或 .txt 后再试。") from err
    texts: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            texts.append(_paragraph_text(child))
        elif tag == "tbl":
            for p in child.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"):
                texts.append(_paragraph_text(p))
    return texts


def _paragraph_text(p_element) -> str:
    from docx.text.paragraph import Paragraph

    return Paragraph(p_element, None).text

"""The documentation stands alone: code cites only the repository's own docs/, and every page of
docs/ names files, sections, modules and tests that exist.

Citations the code makes: `docs/<page>.md`, optionally followed by a section — `docs/legal.md §2.3`
or `docs/rules.md, "Statuses"` — each must name an existing page and heading. What the pages name in
backticks (`counter_app/domain/calendar.py`, `domain/calendar.WorkCalendar.due_at`,
`tests/unit/test_calendar.py::test_worked_cases`) and their links must exist too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import counter_app

ROOT = Path(counter_app.__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CODE_DIRS = ("counter_app", "ui", "district_server", "tests", "bench", "installer", "scripts")
# Documents that live outside the repository (the product's earlier steering notes): a reader of the
# repository cannot follow a reference to them. Spelled in pieces so this file does not match itself.
OUTSIDE = re.compile("|".join([r"decisions\.md", r"reference\.md", r"contract\.md", r"tech[- ]notes",
                               r"shared" + "/"]), re.IGNORECASE)
CITATION = re.compile(r"docs/([\w-]+\.md)(?:\s*§\s*(\d+(?:\.\d+)?)|,?\s*\"([^\"\n]+)\")?")
# Module references name a file, then an attribute: `services/lookup.open_by_code`.
FILE_SUFFIXES = {"py", "md", "json", "sh", "spec", "nsi", "nsh", "ps1", "txt", "lock", "toml", "c", "mako",
                 "ttf", "ico", "png", "svg", "csv", "xlsx", "yml", "yaml", "cfg", "ini"}


def _python_files() -> list[Path]:
    return sorted(p for d in CODE_DIRS for p in (ROOT / d).rglob("*.py") if p.resolve() != Path(__file__).resolve())


def _pages() -> list[Path]:
    return sorted(DOCS.glob("*.md"))


def _headings(page: Path) -> list[str]:
    return [line.lstrip("#").strip() for line in page.read_text(encoding="utf-8").splitlines()
            if line.startswith("#")]


def _citation_problem(page: str, section: str | None, title: str | None) -> str | None:
    path = DOCS / page
    if not path.is_file():
        return f"docs/{page} does not exist"
    headings = _headings(path)
    if section and not any(h.startswith(f"§{section} ") or h == f"§{section}" for h in headings):
        return f"docs/{page} has no section §{section}"
    if title and not any(h.lower().startswith(title.lower()) for h in headings):
        return f'docs/{page} has no heading "{title}"'
    return None


def _markdown_files() -> list[Path]:
    return sorted({*DOCS.glob("*.md"), ROOT / "README.md", *(p for d in (*CODE_DIRS, "resources")
                                                           for p in (ROOT / d).rglob("*.md"))})


def test_the_code_and_the_docs_cite_no_document_outside_the_repository() -> None:
    found = []
    for path in _python_files() + _markdown_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if OUTSIDE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "cite docs/ instead:\n" + "\n".join(found)


def test_every_docs_page_the_code_cites_exists_with_its_section() -> None:
    found = []
    for path in _python_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for m in CITATION.finditer(line):
                problem = _citation_problem(m.group(1), m.group(2), m.group(3))
                if problem:
                    found.append(f"{path.relative_to(ROOT)}:{number}: {problem}")
    assert not found, "\n".join(found)


def _prose(page: Path) -> list[tuple[int, str]]:
    """The page's lines outside fenced code blocks (commands there are examples, not references)."""
    lines, fenced = [], False
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced:
            lines.append((number, line))
    return lines


def _repository_roots() -> set[str]:
    """First folder names a page may start a path with: the repository's own, and the core's
    packages (pages write `domain/calendar.py` for counter_app/domain/calendar.py)."""
    # Build output (dist/, build/) is named by pages but made by the build, not kept in the repository.
    made = {"dist", "build", ".venv"}
    return ({p.name for p in ROOT.iterdir()} - made) | {p.name for p in (ROOT / "counter_app").iterdir() if p.is_dir()}


def _reference_problem(token: str) -> str | None:
    """None when `token` names something that exists; a reason otherwise."""
    target, _, test_name = token.partition("::")
    *folders, last = target.split("/")
    attribute = ""
    if "." in last and not last.startswith("."):
        stem, rest = last.split(".", 1)
        if rest.split(".")[0] not in FILE_SUFFIXES:
            last, attribute = stem + ".py", rest.split(".")[0]
    relative = "/".join([*folders, last])
    candidates = [ROOT / relative, ROOT / "counter_app" / relative]
    path = next((c for c in candidates if c.exists()), None)
    if path is None:
        return f"{relative} does not exist"
    for name in (attribute, test_name):
        if name and not re.search(rf"\b{re.escape(name)}\b", path.read_text(encoding="utf-8")):
            return f"{relative} has no {name}"
    return None


def _named_paths(page: Path) -> list[tuple[int, str]]:
    roots = _repository_roots()
    found = []
    for number, line in _prose(page):
        for token in re.findall(r"`([^`\s]+)`", line):
            first = token.split("/", 1)[0]
            if "/" in token and first in roots and not re.search(r"[*<>{}]|:(?!:)", token.replace("::", "")):
                found.append((number, token))
        for target in re.findall(r"\]\(([^)\s]+)\)", line):
            if not re.match(r"[a-z]+:|#", target):
                found.append((number, "link:" + target.split("#", 1)[0]))
    return found


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.name)
def test_every_path_a_docs_page_names_exists(page: Path) -> None:
    problems = []
    for number, token in _named_paths(page):
        if token.startswith("link:"):
            if not (page.parent / token[5:]).exists():
                problems.append(f"{page.name}:{number}: link {token[5:]} does not exist")
        elif (problem := _reference_problem(token)) is not None:
            problems.append(f"{page.name}:{number}: `{token}`: {problem}")
    assert not problems, "\n".join(problems)


def test_the_readme_links_pages_that_exist() -> None:
    missing = [t for t in re.findall(r"\]\(([^)\s#]+)", (ROOT / "README.md").read_text(encoding="utf-8"))
               if not re.match(r"[a-z]+:", t) and not (ROOT / t).exists()]
    assert not missing, missing

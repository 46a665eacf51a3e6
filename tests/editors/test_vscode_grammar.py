"""The VS Code extension (editors/vscode/) kept in step with the language.

Its TextMate grammar highlights the keywords of mmdsl/mmdsl.lark: a keyword added to the language
and forgotten in the grammar, or a word the grammar highlights that the language does not have,
fails here. The grammar's own tests (`make vscode-test`) are written as table files: they must be
valid mmdsl, so that they show highlighting on what authors really write.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from lark import Lark

from mmdsl.cli import main
from mmdsl.pipeline import compile_path
from mmdsl.semantics.symbols import ANNOTATION_COLUMNS, RULE_COLUMN

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "editors" / "vscode"
GRAMMAR = EXTENSION / "syntaxes" / "mmdsl.tmLanguage.json"
GRAMMAR_TESTS = sorted((EXTENSION / "tests" / "grammar").glob("*.mmdsl"))

WORD = r"[a-z]+(?:/[a-z]+)?"
# a group of literal words in a TextMate regex, `(hit)` or `(?:and|or|not)`: the keywords it names
WORD_GROUP = re.compile(rf"\((?:\?:)?({WORD}(?:\|{WORD})*)\)")


def language_keywords() -> set[str]:
    """Every word the language's grammar reserves somewhere: its literal keywords (`"table"`,
    `"yes/no"`) and the words inside its keyword patterns (hit policies, quantifiers, and, or)."""
    parser = Lark((ROOT / "mmdsl" / "mmdsl.lark").read_text("utf-8"), parser="lalr",
                  lexer="contextual")
    words: set[str] = set()
    for terminal in parser.terminals:
        pattern = terminal.pattern
        if pattern.type == "str":
            words |= {pattern.value} if re.fullmatch(WORD, pattern.value) else set()
        else:  # a regular expression: its words, once escapes such as \w and \n are removed
            words |= set(re.findall(r"[a-z]{2,}", re.sub(r"\\.", "", pattern.value)))
    return words


def regexes(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [v for k, v in node.items() if k in ("match", "begin", "end") and isinstance(v, str)]
        return found + [r for v in node.values() for r in regexes(v)]
    if isinstance(node, list):
        return [r for v in node for r in regexes(v)]
    return []


def grammar_keywords() -> set[str]:
    grammar = json.loads(GRAMMAR.read_text("utf-8"))
    return {word for regex in regexes(grammar) for group in WORD_GROUP.findall(regex)
            for word in group.split("|")}


def test_the_grammar_highlights_exactly_the_keywords_of_the_language() -> None:
    special_columns = {RULE_COLUMN, *ANNOTATION_COLUMNS}  # header names with a meaning
    language = language_keywords()
    highlighted = grammar_keywords()
    assert language - highlighted == set(), "keywords of mmdsl.lark the grammar does not highlight"
    assert highlighted - language - special_columns == set(), "highlighted words that are no keyword"
    assert "table" in language and "yes/no" in language and "collect" in language  # the reading works


@pytest.mark.parametrize("path", GRAMMAR_TESTS, ids=lambda p: p.name)
def test_the_grammar_tests_are_valid_table_files(path: Path) -> None:
    assert path.read_text("utf-8").startswith('# SYNTAX TEST "source.mmdsl"')
    compilation = compile_path(path)
    assert compilation.ok, [d.message for d in compilation.diagnostics]


def test_there_are_grammar_tests() -> None:
    assert {p.name for p in GRAMMAR_TESTS} >= {"declarations.mmdsl", "tables.mmdsl", "examples.mmdsl"}


def test_the_manifest_starts_the_server_the_cli_has() -> None:
    """package.json's defaults run `mmdsl lsp --pause N`: the program, command and option exist."""
    manifest = json.loads((EXTENSION / "package.json").read_text("utf-8"))
    settings = manifest["contributes"]["configuration"]["properties"]
    assert settings["mmdsl.server.path"]["default"] == "mmdsl"
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]
    assert scripts["mmdsl"] == "mmdsl.cli:main"
    lsp = main.get_command(None, "lsp")  # type: ignore[arg-type]
    assert lsp is not None and "--pause" in {o for p in lsp.params for o in p.opts}
    assert settings["mmdsl.server.pause"]["default"] == lsp.params[0].default
    [language] = manifest["contributes"]["languages"]
    assert language["extensions"] == [".mmdsl"]
    [grammar] = manifest["contributes"]["grammars"]
    assert (EXTENSION / grammar["path"]).is_file() and grammar["scopeName"] == "source.mmdsl"

"""The command line starts quickly: `import fieldvisit.cli` and `fieldvisit --help` import
none of the program, each command imports only its own package, and the lazily built
parser reads every command line as the whole parser does (benchmarks/startup.py has the
timings, docs/performance.md the figures)."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from fieldvisit import cli

HEAVY = ("sqlalchemy", "fieldvisit.store", "reportlab", "yaml", "PySide6")


def imported_after(code: str) -> set[str]:
    """The modules of HEAVY a fresh interpreter holds after running ``code``."""
    probe = (f"import sys\n{code}\n"
             f"print('loaded:' + ','.join(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True,
                         text=True).stdout.strip().splitlines()[-1]
    return set(filter(None, out.removeprefix("loaded:").split(",")))


def test_importing_the_cli_and_its_help_import_none_of_the_program():
    assert imported_after("import fieldvisit.cli") == set()
    assert imported_after("from fieldvisit import cli\n"
                          "cli.build_parser(cli.command_of([])).format_help()") == set()


def test_fieldvisit_help_lists_every_command():
    shown = subprocess.run([sys.executable, "-m", "fieldvisit", "--help"], check=True,
                           capture_output=True, text=True).stdout
    for name in ("app", "roster", "villages", "forms", "visits", "cards", "records", "report",
                 "card", "sync", "bundle", "server"):
        assert f"    {name} " in shown, name


def test_bundle_inspect_reads_a_file_without_the_store():
    code = ("from fieldvisit import cli\n"
            "cli.build_parser('bundle').parse_args(['bundle', 'inspect', 'x.fvb'])\n"
            "from fieldvisit.sync import bundle")
    assert imported_after(code) == set()


def test_sync_status_imports_the_store_but_not_the_checklists_or_printing():
    code = ("from fieldvisit import cli\n"
            "cli.build_parser('sync')\n"
            "from fieldvisit.sync import laptop")
    loaded = imported_after(code)
    assert "fieldvisit.store" in loaded
    assert not loaded & {"yaml", "reportlab", "PySide6"}


def overview(parser: argparse.ArgumentParser) -> dict[str, str | None]:
    """Each command's help as ``fieldvisit --help`` lists it."""
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {choice.dest: choice.help for choice in commands._choices_actions}


def test_the_lazy_overview_says_what_each_package_says_of_its_commands():
    assert overview(cli.build_parser(None)) == overview(cli.build_parser(cli.EVERY))


@pytest.mark.parametrize("argv, command", [
    ([], None),
    (["--help"], None),
    (["--data-dir", "sync", "sync", "status"], "sync"),
    (["--data-dir=/tmp/x", "forms", "check"], "forms"),
    (["bundle", "inspect", "a.fvb"], "bundle"),
    (["--data-dir"], None),
])
def test_the_command_is_found_after_the_global_options(argv, command):
    assert cli.command_of(argv) == command


@pytest.mark.parametrize("argv", [
    ["--data-dir", "d", "sync", "status"],
    ["sync", "export", "--to", "/media/stick"],
    ["bundle", "inspect", "a.fvb"],
    ["forms", "check"],
    ["roster", "import", "花名册.xlsx", "--dry-run", "--json"],
    ["villages", "rename", "新华村", "新新村"],
    ["visits", "export", "走访.xlsx", "--village", "522727100200"],
    ["cards", "--village", "前白庄村", "-o", "明白卡.pdf"],
    ["report", "--village", "522727100200", "-o", "汇总.pdf"],
    ["card", "verify", "FV1.abc"],
    ["server", "conflicts"],
    ["app", "--demo"],
])
def test_the_lazy_parser_reads_a_command_line_as_the_whole_parser_does(argv):
    lazy = cli.build_parser(cli.command_of(argv)).parse_args(argv)
    assert lazy == cli.build_parser(cli.EVERY).parse_args(argv)

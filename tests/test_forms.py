"""Form files: the bundled checklists load; broken or hostile files are reported with
file, line and a message a county form editor can act on, all problems at once."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from fieldvisit.checklist.forms import (
    FormErrors,
    bundled_forms_dir,
    check_forms,
    load_forms,
)

BUNDLED = ("basic_needs", "housing", "water", "education", "medical", "income", "monitoring")

VALID = """\
id: demo
version: 1
title: 演示
help: 用于测试的表单。
questions:
  - id: has_tap
    type: yes_no
    label: 有自来水吗？
    help: 水龙头在院内。
  - id: litres
    type: integer
    label: 每天用水多少升？
    help: 全家每天用水。
    relevant: has_tap == false
    constraint: litres >= 0
    constraint_message: 不能为负。
  - id: per_person
    label: 每人每天用水
    help: 全家用水除以人数。
    calculate: litres / household_size
findings:
  - id: little_water
    when: per_person < setting('water_litres_short')
    category: 饮水安全
    severity: high
    text: 每人每天只有 {per_person} 升。
"""


def write(folder, name, text):
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def only_error(folder):
    errors = check_forms(folder)
    assert len(errors) == 1, errors
    return errors[0]


def test_the_bundled_forms_load_without_a_problem():
    assert check_forms(bundled_forms_dir()) == []
    formset = load_forms(bundled_forms_dir())
    assert set(formset.forms) == set(BUNDLED)
    assert formset.order.index("income") < formset.order.index("monitoring")
    assert formset["education"].per_member and formset["medical"].per_member
    for form in formset.forms.values():
        for question in form.questions:
            assert question.help, (form.id, question.id)  # every question states its standard


def test_forms_check_command_exits_0_on_the_bundled_forms():
    done = subprocess.run([sys.executable, "-m", "fieldvisit", "forms", "check"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"表单全部可用：{len(BUNDLED)} 个 / all {len(BUNDLED)} forms are valid" in done.stdout


def test_a_valid_form_loads(tmp_path):
    write(tmp_path, "demo.yaml", VALID)
    form = load_forms(tmp_path)["demo"]
    assert [q.id for q in form.questions] == ["has_tap", "litres", "per_person"]
    assert form.types["per_person"] == "number"


def test_unknown_question_in_relevant_names_file_and_line(tmp_path):
    write(tmp_path, "demo.yaml", VALID.replace("relevant: has_tap == false",
                                               "relevant: has_tapp == false"))
    error = only_error(tmp_path)
    assert (error.file, error.line) == ("demo.yaml", 14)
    assert "has_tapp" in error.message and "unknown name" in error.message_en


def test_calculate_cycle_is_reported_with_the_cycle(tmp_path):
    write(tmp_path, "demo.yaml", VALID.replace("calculate: litres / household_size",
                                               "calculate: litres / household_size + b\n"
                                               "  - id: b\n    label: b\n    help: b\n"
                                               "    calculate: per_person * 2"))
    error = only_error(tmp_path)
    assert error.file == "demo.yaml" and error.line in (17, 21)
    assert "per_person" in error.message and "b" in error.message and "循环" in error.message
    assert "cycle" in error.message_en


def test_text_compared_with_a_number_is_a_type_error(tmp_path):
    text = VALID.replace("  - id: per_person",
                         "  - id: remark\n    type: text\n    label: 备注\n    help: 说明\n"
                         "    constraint: remark > 3\n    constraint_message: 太短\n"
                         "  - id: per_person")
    write(tmp_path, "demo.yaml", text)
    error = only_error(tmp_path)
    assert (error.file, error.line) == ("demo.yaml", 21)
    assert "不能比较文字和数字" in error.message
    assert "remark > 3" in error.message_en


def test_duplicate_question_id(tmp_path):
    write(tmp_path, "demo.yaml", VALID.replace("  - id: litres", "  - id: has_tap"))
    errors = check_forms(tmp_path)
    assert any(e.line == 10 and "重复" in e.message and "duplicate question id 'has_tap'"
               in e.message_en for e in errors), errors


def test_unknown_key(tmp_path):
    write(tmp_path, "demo.yaml", VALID.replace("    label: 有自来水吗？",
                                               "    lable: 有自来水吗？\n    label: 有自来水吗？"))
    error = only_error(tmp_path)
    assert (error.file, error.line) == ("demo.yaml", 8)
    assert "lable" in error.message and "unknown key" in error.message_en


def test_python_tags_are_refused_before_anything_is_built(tmp_path):
    write(tmp_path, "evil.yaml", VALID.replace(
        "title: 演示", "title: !!python/object/apply:os.system ['touch pwned']"))
    error = only_error(tmp_path)
    assert (error.file, error.line) == ("evil.yaml", 3)
    assert "python/object" in error.message_en
    assert not (tmp_path / "pwned").exists()


def test_aliases_are_refused(tmp_path):
    write(tmp_path, "demo.yaml", VALID.replace("help: 用于测试的表单。", "help: &h 测试")
          .replace("    help: 水龙头在院内。", "    help: *h"))
    assert "aliases" in only_error(tmp_path).message_en


def test_an_over_large_file_is_refused_without_parsing(tmp_path):
    write(tmp_path, "big.yaml", VALID + "# " + "x" * 1_000_001 + "\n")
    error = only_error(tmp_path)
    assert error.file == "big.yaml" and "MB" in error.message


def test_over_500_questions_are_refused(tmp_path):
    many = "".join(f"  - {{id: q{i}, type: yes_no, label: 问, help: 标准}}\n" for i in range(501))
    write(tmp_path, "many.yaml", "id: many\nversion: 1\ntitle: 多\nhelp: 多\nquestions:\n" + many)
    assert "500" in only_error(tmp_path).message


def test_qualified_names_must_exist_in_the_set(tmp_path):
    write(tmp_path, "demo.yaml", VALID)
    write(tmp_path, "screen.yaml", """\
        id: screen
        version: 1
        title: 排查
        help: 读取其他表单。
        questions:
          - id: low
            label: 水少
            help: 取自 demo 表。
            calculate: demo.per_person < 20 or demo.nothing == 1 or other.x == 1
        """)
    errors = check_forms(tmp_path)
    assert {(e.file, e.line) for e in errors} == {("screen.yaml", 9)}
    assert any("demo" in e.message and "nothing" in e.message for e in errors)
    assert any("unknown form 'other'" in e.message_en for e in errors)
    assert len(errors) == 2


def test_every_problem_of_a_folder_is_reported(tmp_path):
    write(tmp_path, "a.yaml", VALID.replace("relevant: has_tap == false",
                                            "relevant: nope == false"))
    write(tmp_path, "b.yaml", VALID.replace("id: demo", "id: other")
          .replace("severity: high", "severity: urgent")
          .replace("    type: yes_no", "    type: yes_or_no"))
    write(tmp_path, "c.yaml", "id: [broken\n")
    errors = check_forms(tmp_path)
    files = [e.file for e in errors]
    assert files.count("a.yaml") == 1 and files.count("b.yaml") == 2
    assert files.count("c.yaml") == 1
    with pytest.raises(FormErrors) as raised:
        load_forms(tmp_path)
    assert len(raised.value.errors) == len(errors)


def test_a_misspelt_choice_value_in_an_expression_is_reported(tmp_path):
    write(tmp_path, "demo.yaml", VALID.replace("    type: yes_no\n", "    type: single_choice\n"
                                               "    choices:\n      - {value: 有, label: 有}\n"
                                               "      - {value: 没有, label: 没有}\n")
          .replace("relevant: has_tap == false", "relevant: has_tap == '无'"))
    error = only_error(tmp_path)
    assert (error.file, error.line) == ("demo.yaml", 17)
    assert "'无' is not a choice value of 'has_tap'" in error.message_en


def test_bad_finding_template(tmp_path):
    write(tmp_path, "demo.yaml", VALID.replace("text: 每人每天只有 {per_person} 升。",
                                               "text: 每人每天只有 {per_person 升。"))
    error = only_error(tmp_path)
    assert (error.file, error.line) == ("demo.yaml", 26)
    assert "placeholder" in error.message_en


def test_forms_check_command_exits_2_and_prints_file_and_line(tmp_path):
    write(tmp_path, "demo.yaml", VALID.replace("relevant: has_tap == false",
                                               "relevant: has_tapp == false"))
    done = subprocess.run([sys.executable, "-m", "fieldvisit", "forms", "check",
                           str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "demo.yaml:14: " in done.stdout and "has_tapp" in done.stdout

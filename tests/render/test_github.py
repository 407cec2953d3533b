"""GitHub workflow commands (``reconcile.render.github``)."""

from __future__ import annotations

from reconcile.render.github import render

from ..builders import check_record


def test_one_annotation_per_unsuppressed_finding_with_escaped_properties():
    lines = render(check_record()).splitlines()
    assert lines[0] == ("::error file=drafts/story%2C1.md,line=3,col=5,endLine=3,endColumn=11,"
                        "title=DR01 name-DR01::DR01: 12.000, sources say 11,000")
    assert lines[-1] == "reconcile: 1 error(s), 0 warning(s), 0 info, 1 suppressed" and len(lines) == 2


def test_quiet_has_no_summary_and_a_message_cannot_start_a_command():
    record = check_record()
    record["findings"][0]["message"] = "line one\n::error::forged\x0c100%"
    [line] = render(record, quiet=True).splitlines()
    assert line.endswith("::line one%0A::error::forged100%25")

"""Configuration files (``reconcile.config``): discovery, values, errors naming the file."""

from __future__ import annotations

import pytest

from reconcile.config import Config, ConfigError, find_config, load_config, weakened_draft_rules


def test_the_nearest_file_upward_wins(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.reconcile]\nfail_level = 'warning'\n")
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    assert find_config(inner) == tmp_path / "pyproject.toml"
    (tmp_path / "a" / "reconcile.toml").write_text("fail_level = 'info'\n")
    assert find_config(inner / "x.txt") == tmp_path / "a" / "reconcile.toml"


def test_a_pyproject_without_the_table_is_passed_over(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.black]\nline-length = 90\n")
    found = find_config(tmp_path)
    assert found is None or found.parent != tmp_path


def test_values_are_read_and_paths_resolved_against_the_file(tmp_path):
    p = tmp_path / "reconcile.toml"
    p.write_text("cluster_threshold = 0.5\ncache = false\nrules = 'mine'\narchive = 'a.db'\nfail_level = 'warning'\n"
                 "[rule.nu01]\nlevel = 'warning'\n")
    cfg = load_config(p)
    assert (cfg.cluster_threshold, cfg.cache, cfg.fail_level) == (0.5, False, "warning")
    assert cfg.rules_dirs == [str((tmp_path / "mine").resolve())] and cfg.archive == str((tmp_path / "a.db").resolve())
    assert cfg.rule_overrides == {"NU01": {"level": "warning"}} and cfg.source == str(p)
    assert load_config(None) == Config()


def test_the_index_batch_and_jobs_are_read(tmp_path):
    p = tmp_path / "reconcile.toml"
    p.write_text("index_batch = 500\njobs = 1\n")
    assert (load_config(p).index_batch, load_config(p).jobs) == (500, 1)
    assert (Config().index_batch, Config().jobs) == (10_000, 0)


def test_a_server_archive_stays_as_written(tmp_path):
    p = tmp_path / "reconcile.toml"
    p.write_text("archive = 'postgresql://db/archive'\n")
    assert load_config(p).archive == "postgresql://db/archive"


@pytest.mark.parametrize("body, problem", [
    ("colour = 'red'\n", "unknown key"),
    ("cluster_threshold = 5\n", "cluster_threshold"),
    ("cache = 'yes'\n", "cache"),
    ("fail_level = 'fatal'\n", "fail_level"),
    ("rule = 3\n", "[rule.CODE]"),
    ("index_batch = 0\n", "index_batch"),
    ("index_batch = 2.5\n", "index_batch"),
    ("jobs = -1\n", "'jobs' must be a whole number of processes"),
    ("jobs = true\n", "jobs"),
    ("x = [\n", "malformed TOML"),
])
def test_bad_values_name_the_file_and_the_key(tmp_path, body, problem):
    p = tmp_path / "reconcile.toml"
    p.write_text(body)
    with pytest.raises(ConfigError) as exc:
        load_config(p)
    assert str(p) in str(exc.value) and problem in str(exc.value)


def test_weakened_draft_rules_lists_each_weakening(tmp_path):
    assert weakened_draft_rules(Config()) == []
    cfg = Config(rule_overrides={"DR01": {"level": "info"}, "DR02": {"enabled": False}})
    weak = weakened_draft_rules(cfg)
    assert "DR01 lowered from error to info" in weak and "DR02 disabled" in weak

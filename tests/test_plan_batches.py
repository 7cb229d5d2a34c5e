"""The output plan's batches (`output.plan.Plan.items`): every slice of a
sweep gives the text the general path writes config by config, in batches
of at most `_BATCH` configs (made small here), whatever the size of the innermost axis and
wherever the slice starts in it; and a `config_id` written without a call
to the format's `quote` (its quotes moved into the text around it) is
written exactly as `quote` would."""

from __future__ import annotations

import random

import pytest

from spearmint_lang import Sweep
from spearmint_lang.output.formats import BY_NAME
from spearmint_lang.output import plan as plan_module
from spearmint_lang.output.plan import Plan, _wrapping

# Batches of 16 configs (the module's `_BATCH`, made small): an innermost
# axis of 50 values (more than three batches) under a small one, and a
# nested object whose text surrounds the id in every format.
BATCH = 16
TEXT = 'model: ["a", "b"]*\nllm: { stop: ["\\n"], t: 0.5 }\nseed: 0..<50\n'
SLICES = [(0, 100), (13, 90), (49, 51), (15, 17), (50, 50 + BATCH + 1), (98, 100), (7, 7)]


@pytest.mark.parametrize("fmt", sorted(BY_NAME))
def test_every_slice_is_the_general_path_in_bounded_batches(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plan_module, "_BATCH", BATCH)
    sweep = Sweep.from_text(TEXT)
    (space,) = sweep._spaces
    plan = Plan(space, fmt)
    assert plan.ok
    form = BY_NAME[fmt]
    for start, stop in SLICES:
        batches = list(plan.items(start, stop))
        assert all(0 < n <= BATCH for _, n in batches), [n for _, n in batches]
        assert sum(n for _, n in batches) == stop - start
        general = "".join(form.item(sweep[i]) for i in range(start, stop))  # (one config at a time)
        assert "".join(text for text, _ in batches) == general, (fmt, start, stop)


@pytest.mark.parametrize("fmt", sorted(BY_NAME))
def test_an_id_written_bare_is_written_as_quote_writes_it(fmt: str) -> None:
    quote = BY_NAME[fmt].quote
    wrap = _wrapping(quote)
    if fmt == "yaml":
        assert wrap is None  # YAML quotes only the ids that would read as numbers
        return
    assert wrap is not None
    rng = random.Random(16)
    digests = [f"{rng.getrandbits(64):016x}" for _ in range(2000)] + ["0" * 16, "1" * 16, "1e" + "0" * 14]
    assert all(quote(d) == wrap[0] + d + wrap[1] for d in digests)

"""examples/dask_batch.py: a partitioned batch on a local Dask cluster gives one process's results, to the fen.

Skipped when Dask is not installed (``pip install "dask[distributed]"``); the message the example prints
without Dask is tested either way.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "dask_batch.py"


def load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tuoyu_dask_batch_example", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_runs_on_a_local_cluster_with_the_single_process_results(tmp_path: Path) -> None:
    pytest.importorskip("dask.bag")
    pytest.importorskip("dask.distributed")
    example = load_example()
    result = example.run(files=3, rows=200, workers=2, processes=False, sample=150, out=tmp_path, quiet=True)
    assert result["rows"] == 600
    assert result["same_totals"]
    assert result["same_rows"]
    assert result["assessed_lines"] == 150
    assert all(isinstance(t.low, int) for t in result["totals"].values())  # exact fen, never float
    assert len(list((tmp_path / "assessed").glob("*.ndjson"))) == 2  # one output file per partition


def test_without_dask_it_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    example = load_example()
    for name in ("dask", "dask.bag", "dask.distributed"):
        monkeypatch.setitem(sys.modules, name, None)  # import raises ImportError
    assert example.main([]) == 2
    assert 'pip install "dask[distributed]"' in capsys.readouterr().err

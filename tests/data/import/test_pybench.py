# test_pybench.py - the pytest-benchmark tests behind the pytest_*.json
# fixtures of perfreg's importer tests: plain, parametrized, grouped and
# pedantic benchmarks, and one with numeric extra_info. See README.md here.
import hashlib
import json

import pytest


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def test_fib_12(benchmark):
    assert benchmark(fib, 12) == 144


@pytest.mark.parametrize("size", [10, 1000])
def test_sort(benchmark, size):
    data = [(i * 7919) % size for i in range(size)]
    benchmark(sorted, data)


@pytest.mark.benchmark(group="hashing")
def test_sha256(benchmark):
    blob = b"x" * 1024
    benchmark(lambda: hashlib.sha256(blob).digest())


@pytest.mark.benchmark(group="hashing")
def test_md5(benchmark):
    blob = b"x" * 1024
    benchmark(lambda: hashlib.md5(blob).digest())


def test_pedantic(benchmark):
    # 5 rounds of 20 iterations: each data point is a round's time / 20
    benchmark.pedantic(fib, args=(10,), rounds=5, iterations=20)


def test_extra_info(benchmark):
    doc = {"a": list(range(50))}
    benchmark.extra_info["bytes"] = len(json.dumps(doc))
    benchmark.extra_info["codec"] = "json"
    benchmark(lambda: json.loads(json.dumps(doc)))

"""Timing a dashboard page through the Django test client (middleware, session, templates): the queue and call-list
benchmarks share it. Prints one Markdown row per page and returns the rows."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

Row = tuple[str, float, float, float, int]


def time_pages(client: Any, pages: dict[str, Callable[[], str]], iterations: int) -> list[Row]:
    """p50, p95 and max in ms over `iterations` GETs after 10 warm-ups, and the SQL queries of one more GET."""
    from django.db import connection

    rows: list[Row] = []
    print("\n| page | p50 ms | p95 ms | max ms | SQL queries |\n| --- | ---: | ---: | ---: | ---: |")
    for name, url in pages.items():
        for _ in range(10):  # warm-up
            client.get(url())
        times = []
        for _ in range(iterations):
            target = url()
            start = time.perf_counter()
            response = client.get(target)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (target, response.status_code)
        counted: list[str] = []

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any, counted: list[str] = counted) -> Any:
            counted.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(url())
        q = statistics.quantiles(times, n=100)
        rows.append((name, q[49], q[94], max(times), len(counted)))
        print(f"| {name} | {q[49]:.1f} | {q[94]:.1f} | {max(times):.1f} | {len(counted)} |", flush=True)
    return rows

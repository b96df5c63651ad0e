"""
The benchmark: bulk import of an HR export at network scale, each step beside its floor.

    make bench                                   # a throwaway SQLite database
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_bench make bench

The PostgreSQL database is emptied and reused; never point it at real data.
"""

import csv
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

OUTLETS = int(os.environ.get("BENCH_OUTLETS", "1000"))
STAFF = int(os.environ.get("BENCH_STAFF", "10000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


def _setup() -> str:
    workdir = Path(tempfile.mkdtemp(prefix="lms-bench-"))
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.dev"
    os.environ.setdefault("PRIVATE_MEDIA_ROOT", str(workdir / "private"))
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    if url.startswith("postgres"):
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    return url.split(":", 1)[0]


def _csv(header, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _files(rng):
    outlets = [
        (
            f"B{i:05d}",
            f"网点{i}",
            "湖南省",
            "长沙市",
            rng.choice([1, 2, 3]),
            "partner",
            "P01",
            "联信",
        )
        for i in range(OUTLETS)
    ]
    roles = ["front_desk", "technician", "technician", "senior_technician", "outlet_manager"]
    staff = [
        (f"E{i:07d}", f"员工{i}", rng.choice(roles), f"B{rng.randrange(OUTLETS):05d}", "2024-03-01")
        for i in range(STAFF)
    ]
    return (
        _csv(
            ["code", "name", "province", "city", "city_tier", "ownership",
             "partner_company_code", "partner_company_name"],
            outlets,
        ),
        _csv(["employee_number", "name", "role", "outlet_code", "hire_date"], staff),
    )  # fmt: skip


def _time(fn, rounds=ROUNDS):
    samples = []
    result = None
    for _ in range(rounds):
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def main():
    vendor = _setup()
    from django.db import connection, transaction

    from network.imports import read_table, staff_rows_check
    from network.models import Staff
    from network.services import network_file_import

    rng = random.Random(2026)
    outlet_file, staff_file = _files(rng)
    results = []

    def row(name, seconds, floor_name="", floor=None):
        results.append((name, seconds, floor_name, floor))

    seconds, _ = _time(lambda: read_table(staff_file, "staff.csv"))
    row(f"read {STAFF:,} staff rows (CSV)", seconds)
    network_file_import(kind="outlets", content=outlet_file, filename="o.csv", apply=True)
    table = read_table(staff_file, "staff.csv")
    seconds, _ = _time(lambda: staff_rows_check(table))
    row(f"check {STAFF:,} staff rows", seconds)

    first = time.perf_counter()
    report = network_file_import(kind="staff", content=staff_file, filename="s.csv", apply=True)
    first = time.perf_counter() - first
    assert report.created == STAFF, report.errors[:3]

    # Floor: the same rows written with one raw multi-row INSERT per 1,000, no checks, no users.
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE bench_floor (n varchar(32), name varchar(150), "
                       "role varchar(20), outlet varchar(32), hired date)")  # fmt: skip
    rows = [tuple(r[k] for k in ("employee_number", "name", "role", "outlet_code", "hire_date"))
            for r in table]  # fmt: skip

    def floor():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM bench_floor")
            for i in range(0, len(rows), 1000):
                chunk = rows[i : i + 1000]
                marks = ",".join(["(%s,%s,%s,%s,%s)"] * len(chunk))
                cursor.execute(
                    f"INSERT INTO bench_floor VALUES {marks}", [v for r in chunk for v in r]
                )

    floor_seconds, _ = _time(floor)
    row(f"first import of {STAFF:,} staff (users, staff, history)", first,
        "raw INSERT of the same rows", floor_seconds)  # fmt: skip
    seconds, again = _time(
        lambda: network_file_import(kind="staff", content=staff_file, filename="s.csv", apply=True)
    )
    assert again.unchanged == STAFF and again.updated == 0
    row(f"re-import of the same {STAFF:,} rows (no change)", seconds)
    seconds, _ = _time(
        lambda: network_file_import(kind="staff", content=staff_file, filename="s.csv", apply=False)
    )
    row(f"dry run of {STAFF:,} rows", seconds)
    assert Staff.objects.count() == STAFF

    print(f"\nbench on {vendor}: {OUTLETS:,} outlets, {STAFF:,} staff, median of {ROUNDS}\n")
    print(f"{'operation':<58} {'seconds':>8}   floor")
    for name, seconds, floor_name, floor_value in results:
        extra = f"   {floor_name}: {floor_value:.3f} s" if floor_value is not None else ""
        print(f"{name:<58} {seconds:>8.3f}{extra}")


if __name__ == "__main__":
    main()

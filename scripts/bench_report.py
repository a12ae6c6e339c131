"""`make bench`, part 3: run the sizes, print the table, judge the targets (see bench.py)."""
from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

import bench
import bench_cpu
from bench import (EXPORT_MB, EXPORT_PAGES, EXPORT_SECONDS, FLOOR_SIZE, GROWTH_LIMIT, LISTINGS, PANELS_LIMIT,
                   ROOT, SIZES, STAFF, TABLE_LIMIT)


def _ms(v: float) -> str:
    return f"{v:8.1f}"


def _sql(r) -> str:
    low, high = min(r.queries), max(r.queries)
    return f"{low}" if low == high else f"{low}–{high}"


def composite(a, b, attr: str) -> float:
    """Median of the per-iteration sums of two results' timings (table + panels)."""
    return statistics.median(x + y for x, y in zip(getattr(a, attr), getattr(b, attr)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mål Faseport ved 1 000, 10 000 og 50 000 prosjekter.")
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--staff", type=int, default=STAFF)
    parser.add_argument("--requests", type=int, default=30, help="forespørsler per side")
    parser.add_argument("--cache", type=Path, default=ROOT / "instance" / "bench")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    url = os.environ.get("DATABASE_URL", "")
    engine = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    # CPU time: this process's, plus on PostgreSQL the server's backends' (bench_cpu); wall
    # time only for a server on another machine, whose CPU time cannot be read.
    time_attr = "cpu_ms" if engine == "SQLite" or bench_cpu.is_local_postgres(url) else "times_ms"
    what = "CPU" if time_attr == "cpu_ms" else "tid"
    med = (lambda r: statistics.median(getattr(r, time_attr)))  # noqa: E731
    print(f"Faseport bench på {engine}: {', '.join(f'{s:,}'.replace(',', ' ') for s in sizes)} prosjekter, "
          f"{args.staff} ansatte, {args.requests} forespørsler per side")

    apps, exports = {}, {}
    for size in sizes:
        app, url, seconds = bench.prepare(size, args.staff, args.cache)
        apps[size] = (app, url)
        print(f"{size:>6} prosjekter: " + (f"bygget databasen på {seconds:.0f} s" if seconds is not None
                                         else "gjenbruker databasen fra en tidligere kjøring"), flush=True)
    measured = bench.measure_sizes(apps, args.requests)
    for size, (app, url) in apps.items():
        with app.app_context():
            from app.extensions import db
            db.engine.dispose()
        exports[size] = {key: bench.export_in_child(url, path) for key, _label, path in EXPORT_PAGES}
    for size in sizes:
        res = measured[size]
        print(f"\n{size:,} prosjekter".replace(",", " "))
        print(f"  {'Side':<34}{'bruker':<7}{'median':>9}{'p95':>9}{'CPU':>9}{'SQL':>7}{'mot gulv':>10}")
        for key, r in res.items():
            ratio = ""
            if key == "portfolio":  # the same measure as the verdict below
                ratio = f"{med(r) / med(res['floor_table']):9.2f}×"
            print(f"  {r.label:<34}{r.as_user:<7}{_ms(r.median)}{_ms(r.p95)}{_ms(r.cpu_median)}{_sql(r):>7}{ratio:>10}"
                  + ("" if r.ok else f"  (svarte {sorted(r.statuses)})"))
        both = composite(res["portfolio"], res["portfolio_panels"], time_attr)
        print(f"  {'Portefølje, tabell + paneler':<34}{'lise':<7}"
              f"{_ms(composite(res['portfolio'], res['portfolio_panels'], 'times_ms'))}"
              f"{'':>9}{_ms(composite(res['portfolio'], res['portfolio_panels'], 'cpu_ms'))}{'':>7}"
              f"{both / med(res['floor_panels']):9.2f}×"
              f"  (strengt gulv: {both / med(res['floor_panels_stored']):.2f}×, tabellen "
              f"{med(res['portfolio']) / med(res['floor_table_stored']):.2f}×)")
        for key, label, _path in EXPORT_PAGES:
            e = exports[size][key]
            print(f"  {label:<34}{'lise':<7}{e['seconds'] * 1000:9.0f}{'':>9}{e['cpu_seconds'] * 1000:9.0f}"
                  f"{e['queries']:>7}   topp {e['peak_mb']:.0f} MB")

    verdicts: list[tuple[bool, str]] = []
    small, large = sizes[0], sizes[-1]
    for size in sizes:
        for r in measured[size].values():
            if not r.ok:
                verdicts.append((False, f"{r.label} ved {size}: svarte {sorted(r.statuses)}"))
    if FLOOR_SIZE in measured:
        res = measured[FLOOR_SIZE]
        table = med(res["portfolio"]) / med(res["floor_table"])
        both = composite(res["portfolio"], res["portfolio_panels"], time_attr) / med(res["floor_panels"])
        verdicts.append((both <= PANELS_LIMIT, f"Portefølje med paneler ved {FLOOR_SIZE}: {what} {both:.2f}× gulvet "
                                               f"med paneler (mål høyst {PANELS_LIMIT}×)"))
        verdicts.append((table <= TABLE_LIMIT, f"Portefølje, tabellen ved {FLOOR_SIZE}: {what} {table:.2f}× gulvet "
                                               f"uten paneler (mål høyst {TABLE_LIMIT}×)"))
    print(f"\nVekst fra {small:,} til {large:,} prosjekter (median, sidene målt om hverandre):".replace(",", " "))
    for key, r in measured[large].items():
        if key.startswith("floor") or key not in measured[small]:
            continue
        base = statistics.median(getattr(measured[small][key], time_attr))
        now = statistics.median(getattr(r, time_attr))
        growth = now / base
        listing = key in LISTINGS
        line = f"{r.label}: {growth:.2f}× ({base:.1f} → {now:.1f} ms {'CPU' if time_attr == 'cpu_ms' else ''})"
        if listing:
            verdicts.append((growth <= GROWTH_LIMIT, f"{line} (mål høyst {GROWTH_LIMIT}×)"))
        else:
            print(f"  {line} (ikke en liste; vises bare)")
        # The typical count: a session's last_seen_at is written now and then (every few
        # minutes), one statement more on whichever request it falls, at any size.
        typical, before = statistics.median(r.queries), statistics.median(measured[small][key].queries)
        verdicts.append((typical <= before, f"{r.label}: {typical:g} SQL-spørringer ved {large}, {before:g} ved "
                                            f"{small} (typisk per side; skal ikke vokse)"))
    for key, label, _path in EXPORT_PAGES:
        e = exports[large][key]
        spent = e["cpu_seconds"] if time_attr == "cpu_ms" else e["seconds"]
        verdicts.append((e["status"] == 200 and spent < EXPORT_SECONDS and e["peak_mb"] < EXPORT_MB,
                         f"{label} av {large} prosjekter: {spent:.1f} s {'CPU' if time_attr == 'cpu_ms' else ''}"
                         f" ({e['seconds']:.1f} s på klokka), topp {e['peak_mb']:.0f} MB i prosessen "
                         f"(mål under {EXPORT_SECONDS:.0f} s og {EXPORT_MB:.0f} MB)"))
    print()
    for ok, text in verdicts:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    passed = all(ok for ok, _text in verdicts)
    print("\nAlle mål nådd." if passed else "\nNoen mål ble ikke nådd.")
    sys.stdout.flush()
    return 0 if passed else 1

"""clkhash encoding throughput on a FEBRL-like CSV, one core.

Reuses the clkhash anchor in /work/shared/anchors/ (clk_encode_100k.py):
its schema file (febrl_schema_v3_final.json, clkhash's published FEBRL
schema, 1024 bits), its secret, and its cache-removal helper are imported
from there, and the timed call is the same one the anchor makes:
clk.generate_clk_from_csv(f, SECRET, schema, validate=True,
progress_bar=False, max_workers=1).

Input: a CSV from Benchmarks/make_febrl_like.py (FEBRL columns + cp_notes).
clkhash checks the header and every row against the schema's 11 features,
so before timing the first --rows rows are copied to a temporary CSV with
the extra cp_notes column dropped (not timed, like the anchor's make_big()).

Single core: max_workers=1 is clkhash's documented special case in which
"no processes or threads are used" (generate_clks_from_csv_as_stream runs
hash_chunk in a plain loop in the calling process; any other value starts
multiprocessing.Process workers, one per core by default). The script also
checks afterwards that no child process ran (RUSAGE_CHILDREN CPU time is 0
and multiprocessing.active_children() is empty) and reports process CPU time
beside wall time. Run it under `taskset -c 0` to pin it to one core as well.

Caching: clkhash memoises per-field encodings with functools.lru_cache
(2**17 entries). make_febrl_like.py repeats the 5,000 FEBRL4 rows, so after
the first 5,000 rows nearly every field is a cache hit: the default run is a
cache-friendly best case. --nocache removes those caches (the anchor's
'nocache' mode) to measure the cost of values that never repeat.

    /tmp/mashlink-anchors-venv/bin/python Benchmarks/clkhash_encode.py \
        --csv /tmp/febrl_like_1m.csv --rows 100000

Prints (among diagnostics):
    clkhash records_per_second <value>
    clkhash peak_rss_mb <value>      (ru_maxrss of this process / 1024)
"""
import argparse
import csv
import multiprocessing
import os
import resource
import sys
import tempfile
import time
import warnings

warnings.filterwarnings("ignore")

ANCHORS = os.environ.get("MASHLINK_ANCHORS", "/work/shared/anchors")
sys.path.insert(0, ANCHORS)
# The anchor's module: SECRET, SCHEMA_FILE, disable_caches(), versions().
import clk_encode_100k as anchor  # noqa: E402
from common import versions  # noqa: E402

from clkhash import clk  # noqa: E402
from clkhash import schema as clk_schema  # noqa: E402

SCHEMA_COLUMNS = ["rec_id", "given_name", "surname", "street_number",
                  "address_1", "address_2", "suburb", "postcode", "state",
                  "date_of_birth", "soc_sec_id"]


def write_trimmed(src, dst, rows):
    """Copy the header and the first `rows` rows (all if rows is None) of
    src to dst, keeping only the schema's columns, in schema order."""
    n = 0
    with open(src, newline="") as fi, open(dst, "w", newline="") as fo:
        r = csv.reader(fi)
        header = next(r)
        try:
            idx = [header.index(c) for c in SCHEMA_COLUMNS]
        except ValueError as e:
            sys.exit(f"{src}: missing schema column ({e})")
        w = csv.writer(fo)
        w.writerow(SCHEMA_COLUMNS)
        for row in r:
            if rows is not None and n >= rows:
                break
            w.writerow([row[i] for i in idx])
            n += 1
    return n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--csv", default="/tmp/febrl_like_1m.csv")
    ap.add_argument("--rows", type=int, default=None,
                    help="encode only the first ROWS rows (default: all)")
    ap.add_argument("--nocache", action="store_true",
                    help="remove clkhash's lru_caches (anchor's nocache mode)")
    ap.add_argument("--keep-trimmed", action="store_true",
                    help="keep the temporary schema-only CSV")
    args = ap.parse_args()

    print(versions("clkhash", "bitarray", "cryptography"), flush=True)
    with open(anchor.SCHEMA_FILE) as f:
        schema = clk_schema.from_json_file(f)
    if args.nocache:
        print(f"removed lru_cache from {anchor.disable_caches()} "
              f"clkhash.bloomfilter functions")

    fd, trimmed = tempfile.mkstemp(prefix="clkhash_in_", suffix=".csv", dir="/tmp")
    os.close(fd)
    try:
        t = time.perf_counter()
        n_rows = write_trimmed(args.csv, trimmed, args.rows)
        print(f"prepared {n_rows} rows without cp_notes -> {trimmed} "
              f"({time.perf_counter() - t:.1f}s, not timed)", flush=True)
        affinity = sorted(os.sched_getaffinity(0))
        print(f"schema={anchor.SCHEMA_FILE} max_workers=1 nocache={args.nocache} "
              f"cores visible {os.cpu_count()}, affinity {affinity}", flush=True)

        c0, w0 = time.process_time(), time.perf_counter()
        with open(trimmed, newline="") as f:
            clks = clk.generate_clk_from_csv(f, anchor.SECRET, schema, validate=True,
                                             progress_bar=False, max_workers=1)
        wall = time.perf_counter() - w0
        cpu = time.process_time() - c0
    finally:
        if not args.keep_trimmed:
            os.unlink(trimmed)

    assert len(clks) == n_rows, (len(clks), n_rows)
    assert all(len(c) == 1024 for c in clks[:: max(1, n_rows // 100)])
    # rec_id is ignored by the schema, so rows that repeat a source row encode
    # identically (the anchor makes the same check on its replicated file).
    same = all(clks[i] == clks[i % 5000] for i in range(0, n_rows, 997))
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    children_cpu = ch.ru_utime + ch.ru_stime
    kids = multiprocessing.active_children()
    single = children_cpu == 0 and not kids
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(f"RESULT encoded {n_rows} rows: wall={wall:.2f}s process_cpu={cpu:.2f}s "
          f"child_cpu={children_cpu:.2f}s single_process={single} "
          f"replicas_encode_identically={same}")
    print(f"clkhash rows {n_rows}")
    print(f"clkhash wall_seconds {wall:.2f}")
    print(f"clkhash records_per_second {n_rows / wall:.0f}")
    print(f"clkhash peak_rss_mb {peak_mb:.1f}")


if __name__ == "__main__":
    main()

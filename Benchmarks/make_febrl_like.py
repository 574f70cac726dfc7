"""Generate N FEBRL-like rows for the mashlink / clkhash benchmarks.

Replicates the 5,000 rows of ../shared/data/febrl/febrl4_a.csv, cycling
through them in file order, with a fresh unique rec_id (`rec-<n>`, n = 0..N-1)
and one extra column `cp_notes`: a synthetic ~100-character note made of
deterministic filler text ("synthetic note <n> " repeated, cut to 100
characters). No real data is added; all other columns are copied verbatim.
The note gives mashlink's tokeniser a payload tier to seal; clkhash ignores it.

Output is deterministic (same arguments -> byte-identical file) and is
stream-written: only the 5,000 source rows are held in memory.

    python3 Benchmarks/make_febrl_like.py --rows 1000000 --out /tmp/febrl_like_1m.csv

Note: the identifying columns repeat every 5,000 rows, so a tool that caches
per-value encodings (clkhash does) sees mostly cache hits after the first
5,000 rows.
"""
import argparse
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SOURCE = os.path.normpath(
    os.path.join(HERE, "..", "..", "shared", "data", "febrl", "febrl4_a.csv"))
if not os.path.exists(DEFAULT_SOURCE):
    DEFAULT_SOURCE = "/work/shared/data/febrl/febrl4_a.csv"

COLUMNS = ["rec_id", "given_name", "surname", "street_number", "address_1",
           "address_2", "suburb", "postcode", "state", "date_of_birth",
           "soc_sec_id"]
NOTE_LEN = 100


def note(n):
    unit = f"synthetic note {n} "
    reps = NOTE_LEN // len(unit) + 1
    return (unit * reps)[:NOTE_LEN].rstrip()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--source", default=DEFAULT_SOURCE)
    args = ap.parse_args()
    if args.rows < 0:
        ap.error("--rows must be >= 0")

    with open(args.source, newline="") as f:
        r = csv.reader(f)
        header = next(r)
        if header != COLUMNS:
            sys.exit(f"unexpected header in {args.source}: {header}")
        src = [row[1:] for row in r]  # drop source rec_id
    if not src:
        sys.exit(f"no rows in {args.source}")

    tmp = args.out + ".tmp"
    with open(tmp, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS + ["cp_notes"])
        m = len(src)
        for n in range(args.rows):
            w.writerow([f"rec-{n}"] + src[n % m] + [note(n)])
    os.replace(tmp, args.out)
    print(f"wrote {args.rows} rows (+header) to {args.out} "
          f"from {len(src)} source rows of {args.source}")


if __name__ == "__main__":
    main()

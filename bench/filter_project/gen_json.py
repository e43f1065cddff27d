#!/usr/bin/env python3
"""bench/filter_project/gen_json.py ROWS OUT: write ROWS JSON lines of fake orders to OUT.

Deterministic (fixed seed), so every run of the benchmark reads the same bytes. One line:
  {"id":17,"user_id":80423,"category":"books","price":23.75,"qty":3,"active":true,
   "ts":"2024-03-01T10:15:02.125Z","note":"n17"}
"note" is not a column of the table: the decoder must skip it.
"""
import random
import sys

CATEGORIES = ["books", "toys", "garden", "electronics", "food", "clothing", "sports", "music"]
BASE = 1709287200  # 2024-03-01T10:00:00Z


def main():
    rows, out = int(sys.argv[1]), sys.argv[2]
    rnd = random.Random(42)
    buf = []
    with open(out, "w") as f:
        for i in range(rows):
            secs = BASE + i // 50
            ms = (i * 7) % 1000
            hh, rem = divmod(secs % 86400, 3600)
            mm, ss = divmod(rem, 60)
            buf.append('{"id":%d,"user_id":%d,"category":"%s","price":%d.%02d,"qty":%d,'
                       '"active":%s,"ts":"2024-03-%02dT%02d:%02d:%02d.%03dZ","note":"n%d"}\n'
                       % (i, rnd.randrange(100000), CATEGORIES[rnd.randrange(8)],
                          rnd.randrange(200), rnd.randrange(100), rnd.randrange(1, 11),
                          "true" if rnd.randrange(4) else "false",
                          1 + (secs - 1709251200) // 86400, hh, mm, ss, ms, i))
            if len(buf) >= 10000:
                f.write("".join(buf))
                buf.clear()
        f.write("".join(buf))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""pandas' answers for the CSV tests (Debian's python3-pandas); CI does not need Python.

Run: /usr/bin/python3 test-data/csv/make_golden.py   (rewrites golden.txt here)
Each line: <name> <value> ; floats with repr precision.
"""
import glob
import os

import pandas as pd

here = os.path.dirname(os.path.abspath(__file__))
files = sorted(glob.glob(os.path.join(here, "people.*.csv")))
# pandas types a header-only file's columns as object; like Rankwise (and Dask's meta), the
# empty file contributes no rows and no types.
df = pd.concat([d for d in (pd.read_csv(f) for f in files) if len(d)], ignore_index=True)
lines = []
lines.append("rows %d" % len(df))
lines.append("dtypes " + ",".join("%s:%s" % (c, t) for c, t in zip(df.columns, df.dtypes.astype(str))))
lines.append("names " + "|".join(df["name"]))
m = df.groupby("city").score.mean()
lines.append("mean_score_by_city " + "|".join("%s=%r" % (k, float(v)) for k, v in m.items()))
c = df.groupby("city").score.count()
lines.append("count_score_by_city " + "|".join("%s=%d" % (k, v) for k, v in c.items()))
s = df.groupby("city").age.sum()
lines.append("sum_age_by_city " + "|".join("%s=%r" % (k, float(v)) for k, v in s.items()))
lines.append("active_rows %d" % len(df[df.active]))
with open(os.path.join(here, "golden.txt"), "w", encoding="utf-8") as f:
    f.write("# pandas " + pd.__version__ + "\n")
    f.write("\n".join(lines) + "\n")

#!/usr/bin/python3
"""pandas' answers for the dataframe operation tests (FrameGoldenTest); CI does not need Python.

Run: /usr/bin/python3 test-data/frames/make_golden.py   (rewrites golden.txt here)

Format: "## <name> <sorted|ordered>" then a header line of column names ("index" first when the
result has a named index), then one line per row, fields joined by "|": numbers as %.6f, nulls
as NaN, strings as they are. "sorted" results are compared as sets of lines (distributed joins
and de-duplication give rows in bucket order, as Dask's do); "ordered" ones line by line.
"""
import glob
import math
import os

import pandas as pd

here = os.path.dirname(os.path.abspath(__file__))


def read(prefix):
    files = sorted(glob.glob(os.path.join(here, prefix + ".*.csv")))
    return pd.concat([pd.read_csv(f) for f in files], ignore_index=True)


orders = read("orders")
customers = read("customers")
out = []


def fmt(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "NaN"
    if isinstance(v, bool):
        return "True" if v else "False"
    if isinstance(v, (int, float)) or hasattr(v, "dtype"):
        return "%.6f" % float(v)
    return str(v)


def emit(name, df, ordered, index=False):
    cols = list(df.columns)
    lines = []
    for idx, row in df.iterrows():
        fields = ([fmt(idx)] if index else []) + [fmt(row[c]) for c in cols]
        lines.append("|".join(fields))
    if not ordered:
        lines.sort()
    out.append("## %s %s" % (name, "ordered" if ordered else "sorted"))
    out.append("|".join((["index"] if index else []) + cols))
    out.extend(lines)


for how in ["inner", "left", "right", "outer"]:
    emit("merge_" + how, orders.merge(customers, on="customer", how=how), False)
emit("merge_left_on", orders.merge(customers.rename(columns={"customer": "who"}), left_on="customer",
                                   right_on="who", how="inner"), False)
right = customers.drop_duplicates("customer").dropna(subset=["customer"]).set_index("customer")[["city", "tier"]]
emit("join_left", orders.set_index("customer").join(right, how="left"), False, index=True)
emit("sort_amount", orders.sort_values("amount", kind="stable"), True)
emit("sort_amount_desc", orders.sort_values("amount", ascending=False, kind="stable"), True)
emit("sort_customer_qty", orders.sort_values(["customer", "qty"], kind="stable"), True)
emit("set_index_amount", orders.dropna(subset=["amount"]).set_index("amount").sort_index(kind="stable"), True,
     index=True)
emit("drop_duplicates_subset", orders.drop_duplicates(subset=["customer", "amount"]), True)
emit("drop_duplicates_all", orders.drop(columns=["order_id"]).drop_duplicates(), True)
emit("describe", orders.describe(), True, index=True)
g = orders.groupby("customer")
emit("groupby_first_last_nunique", pd.DataFrame({
    "amount_first": g.amount.first(), "amount_last": g.amount.last(), "qty_nunique": g.qty.nunique()}), True,
     index=True)
emit("groupby_nunique", g.note.nunique().to_frame(), True, index=True)
emit("quantiles", orders[["amount", "qty"]].quantile([0.0, 0.1, 0.5, 0.9, 1.0]), True, index=True)

with open(os.path.join(here, "golden.txt"), "w", encoding="utf-8") as f:
    f.write("# pandas " + pd.__version__ + "\n")
    f.write("\n".join(out) + "\n")

#!/usr/bin/python3
"""A synthetic file with the exact structure of xarray's 'air_temperature' tutorial dataset, and
xarray's answers for the tests' operations on it (Debian's python3-xarray + python3-netcdf4).

  /usr/bin/python3 test-data/air/make_air.py             # air-small.nc + golden.txt here
  /usr/bin/python3 test-data/air/make_air.py --full OUT  # the 2-year tutorial size (time=2920)
  /usr/bin/python3 test-data/air/make_air.py --years 40 OUT   # the 40-year benchmark file

Structure as in the tutorial: air(time, lat, lon) int16 with scale_factor 0.01 and _FillValue
(stored contiguous and uncompressed, as in the tutorial's file),
lat 75 -> 15 step -2.5 (float32), lon 200 -> 330 step 2.5 (float32), time 6-hourly from
2013-01-01 stored as float64 "hours since 1800-01-01", the tutorial's attributes. Values: a
smooth climate (colder to the north, seasonal and daily cycles, a land/sea pattern) plus seeded
noise; a few points are missing (_FillValue), so reductions must skip NaN as xarray does.
The committed small file has 400 time steps (2013-01-01 .. 2013-04-10): months 1-4, seasons DJF
and MAM. CI does not need Python: both outputs are committed.
"""
import os
import sys

import numpy as np
import pandas as pd
import xarray as xr

here = os.path.dirname(os.path.abspath(__file__))
FILL = -32767


def make(ntime, path, seed=42):
    time = pd.date_range("2013-01-01", periods=ntime, freq="6H")
    lat = np.arange(75.0, 14.9, -2.5, dtype=np.float32)
    lon = np.arange(200.0, 330.1, 2.5, dtype=np.float32)
    rng = np.random.default_rng(seed)
    doy = (time.dayofyear.values - 1 + time.hour.values / 24.0)[:, None, None]
    hour = time.hour.values[:, None, None]
    la = lat.astype(np.float64)[None, :, None]
    lo = lon.astype(np.float64)[None, None, :]
    air = (300.0 - 0.55 * (la - 15.0)
           - (la / 75.0) * 14.0 * np.cos(2 * np.pi * (doy - 15.0) / 365.25)
           + 2.5 * np.sin(2 * np.pi * (hour - 6.0) / 24.0) * np.cos(np.deg2rad(la))
           + 3.0 * np.sin(np.deg2rad(lo * 3.0)) * np.cos(np.deg2rad(la * 2.0)))
    air = air + rng.normal(0.0, 1.5, size=air.shape)
    air = np.round(air, 2)
    missing = rng.random(size=air.shape) < 0.0005
    air[missing] = np.nan
    ds = xr.Dataset(
        {"air": (("time", "lat", "lon"), air.astype(np.float32), {
            "long_name": "4xDaily Air temperature at sigma level 995",
            "units": "degK",
            "precision": np.int16(2),
            "GRIB_id": np.int16(11),
            "GRIB_name": "TMP",
            "var_desc": "Air temperature",
            "dataset": "NMC Reanalysis",
            "level_desc": "Surface",
            "statistic": "Individual Obs",
            "parent_stat": "Other",
            "actual_range": np.array([185.16, 322.1], dtype=np.float32),
        })},
        coords={
            "lat": ("lat", lat, {"standard_name": "latitude", "long_name": "Latitude",
                                 "units": "degrees_north", "axis": "Y"}),
            "lon": ("lon", lon, {"standard_name": "longitude", "long_name": "Longitude",
                                 "units": "degrees_east", "axis": "X"}),
            "time": ("time", time, {"standard_name": "time", "long_name": "Time"}),
        },
        attrs={
            "Conventions": "COARDS",
            "title": "4x daily NMC reanalysis (1948)",
            "description": "Data is from NMC initialized reanalysis\n(4x/day).  These are the 0.9950 sigma level values.",
            "platform": "Model",
            "references": "http://www.esrl.noaa.gov/psd/data/gridded/data.ncep.reanalysis.html",
        },
    )
    enc = {
        # contiguous and uncompressed, as the tutorial's own file is (7.7 MB for its 2920 steps)
        "air": {"dtype": "int16", "scale_factor": 0.01, "_FillValue": np.int16(FILL), "contiguous": True},
        "time": {"units": "hours since 1800-01-01", "calendar": "standard", "dtype": "float64"},
        "lat": {"_FillValue": None},
        "lon": {"_FillValue": None},
    }
    ds.to_netcdf(path, format="NETCDF4", encoding=enc)


def line(name, a):
    a = np.asarray(a)
    dtype = str(a.dtype)
    if a.dtype.kind == "M":
        a = a.astype("datetime64[s]").astype(np.int64)
        dtype = "datetime_s"
    a = a.astype(np.float64)
    shape = ",".join(str(s) for s in a.shape) or "-"
    return name + " " + dtype + " " + shape + " " + " ".join(repr(float(v)) for v in a.ravel()) + "\n"


def debian_version(package):
    # Debian's python3-xarray reports __version__ 999; the package version says which it is
    import subprocess
    return subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True).stdout


def golden(path, out):
    ds = xr.open_dataset(path)
    air = ds["air"]
    cases = []
    cases.append(("time", ds["time"].values))
    cases.append(("lat", ds["lat"].values))
    cases.append(("lon", ds["lon"].values))
    cases.append(("air/isel0", air.isel(time=0).values))
    cases.append(("air/count", air.count().values))
    cases.append(("air/mean", air.mean().values))
    cases.append(("air/mean_time", air.mean("time").values))
    cases.append(("air/std_time", air.std("time").values))
    cases.append(("air/min_latlon", air.min(["lat", "lon"]).values))
    cases.append(("air/max_latlon", air.max(["lat", "lon"]).values))
    cases.append(("air/sum_lon", air.isel(time=slice(0, 8)).sum("lon").values))
    cases.append(("air/count_time", air.count("time").values))
    cases.append(("sel/nearest", air.sel(lat=51.3, lon=251.1, method="nearest").values))
    cases.append(("sel/slice", air.sel(lat=slice(60, 40), lon=slice(250, 260)).mean("time").values))
    cases.append(("sel/time_slice", air.sel(time=slice("2013-02-01", "2013-02-03")).mean(["lat", "lon"]).values))
    clim = air.groupby("time.month").mean("time")
    cases.append(("clim/month", clim["month"].values))
    cases.append(("clim/mean", clim.values))
    anom = air.groupby("time.month") - clim
    cases.append(("anom/std_time", anom.std("time").values))
    cases.append(("anom/std_mean", anom.std("time").mean().values))
    seas = air.groupby("time.season").mean("time")
    cases.append(("season/labels", np.array([["DJF", "JJA", "MAM", "SON"].index(s) for s in seas["season"].values])))
    cases.append(("season/mean", seas.values))
    doy = air.groupby("time.dayofyear").mean()
    cases.append(("doy/mean_latlon", doy.mean(["lat", "lon"]).values))
    cases.append(("resample/1D_mean_latlon", air.resample(time="1D").mean().mean(["lat", "lon"]).values))
    # in float64 on both sides: values of ~300 cancel to ~1 here, and xarray's float32 mean is
    # off by ~300 x 6e-8, which would hide what this case tests (alignment and broadcasting)
    a64 = air.astype("float64")
    cases.append(("arith/zonal_anom", (a64 - a64.mean("lon")).isel(time=slice(0, 4)).std("time").values))
    with open(out, "w") as f:
        f.write("# xarray (Debian python3-xarray " + debian_version("python3-xarray") + ") on " + os.path.basename(path) + "\n")
        for name, v in cases:
            f.write(line(name, v))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--full":
        make(2920, sys.argv[2])
    elif len(sys.argv) >= 4 and sys.argv[1] == "--years":
        make(int(round(float(sys.argv[2]) * 1460)), sys.argv[3])
    else:
        small = os.path.join(here, "air-small.nc")
        make(400, small)
        golden(small, os.path.join(here, "golden.txt"))

#!/usr/bin/python3
"""xarray + Dask side of bench/compare.sh's air workload (same as io.rankwise.bench.XarrayBench).

usage: xarray_bench.py FILE.nc THREADS
Opens with the tutorial's chunks {lat: 25, lon: 25, time: -1}; monthly climatology, anomalies'
std (mean over the map), seasonal means; prints result=<anomalies' std mean>.
"""
import sys

import dask
import xarray as xr


def main():
    path, threads = sys.argv[1], int(sys.argv[2])
    with dask.config.set(scheduler="threads", num_workers=threads):
        ds = xr.open_dataset(path, chunks={"lat": 25, "lon": 25, "time": -1})
        air = ds["air"]
        clim = air.groupby("time.month").mean("time")
        anom = air.groupby("time.month") - clim
        std_mean, seasons, clim_mean = dask.compute(anom.std("time").mean(),
                                                    air.groupby("time.season").mean(["time", "lat", "lon"]),
                                                    clim.mean(["lat", "lon"]))
        print("seasons=" + " ".join("%.6f" % v for v in seasons.values))
        print("result=%.10g" % float(std_mean))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Opens a NetCDF file written by Rankwise with xarray (Debian's python3-xarray + netCDF4) and
records what xarray sees, for XarrayGoldenTest (CI needs no Python).

  bin/rankwise run -n 2 AirTemperature test-data/air/air-small.nc /tmp/map.png /tmp/air-clim.nc
  /usr/bin/python3 test-data/air/check_written.py /tmp/air-clim.nc > test-data/air/written-by-rankwise.txt
"""
import sys

import numpy as np
import xarray as xr

ds = xr.open_dataset(sys.argv[1])
clim = ds["clim"]
print("# xarray's view of " + sys.argv[1].split("/")[-1] + ": " + repr(dict(clim.sizes)) + ", dims " + repr(clim.dims)
      + ", dtype " + str(clim.dtype))
print("shape " + " ".join(str(n) for n in clim.shape))
print("month " + " ".join(repr(float(v)) for v in clim["month"].values))
print("lat " + " ".join(repr(float(v)) for v in clim["lat"].values))
print("mean " + repr(float(clim.mean().values)))
print("clim_0_0_0 " + repr(float(clim.values[0, 0, 0])))
assert clim.dims == ("month", "lat", "lon"), clim.dims
assert str(clim.dtype) == "float32", clim.dtype

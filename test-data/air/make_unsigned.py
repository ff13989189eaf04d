#!/usr/bin/python3
"""unsigned.nc: unsigned and _Unsigned NetCDF variables for XarrayErrorsTest (python3-netcdf4).
xarray decodes: u16 (ushort, scale 0.5, _FillValue 65535) -> [0, 20000, nan, 32767];
b (byte, _Unsigned "true") -> [255, 5]."""
import os

import netCDF4
import numpy as np

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "unsigned.nc")
with netCDF4.Dataset(path, "w", format="NETCDF4") as nc:
    nc.createDimension("i", 4)
    nc.createDimension("j", 2)
    u = nc.createVariable("u16", "u2", ("i",), fill_value=np.uint16(65535))
    u.set_auto_maskandscale(False)
    u.scale_factor = 0.5
    u[:] = np.array([0, 40000, 65535, 65534], dtype=np.uint16)
    b = nc.createVariable("b", "i1", ("j",))
    b.set_auto_maskandscale(False)
    b._Unsigned = "true"
    b[:] = np.array([-1, 5], dtype=np.int8)
import xarray as xr
ds = xr.open_dataset(path)
print(ds.u16.values, ds.b.values)

"""Seven voxels of the example RTDOSE as pydicom decodes them, with patient coordinates.

Run: venv/bin/python tests/data/dvh/reference_grid.py > tests/data/dvh/example_grid.csv
(venv as in reference_dicompyler.py; needs numpy, which pydicom's pixel_array pulls in).
"""
import os

import numpy as np
import pydicom

HERE = os.path.dirname(os.path.abspath(__file__))
d = pydicom.dcmread(os.path.join(HERE, "..", "dicompyler-example", "rtdose.dcm"))
a = d.pixel_array.astype(np.float64) * float(d.DoseGridScaling)
print(f"# pydicom {pydicom.__version__} pixel_array x DoseGridScaling; x,y,z = ImagePositionPatient + index x PixelSpacing / GridFrameOffsetVector")
print("frame,row,column,x_mm,y_mm,z_mm,dose_gy")
ipp = [float(v) for v in d.ImagePositionPatient]
off = [float(v) for v in d.GridFrameOffsetVector]
ps = [float(v) for v in d.PixelSpacing]
idx = [tuple(int(v) for v in np.unravel_index(np.argmax(a), a.shape))]
idx += [(0, 0, 0), (97, 128, 193), (49, 64, 97), (40, 80, 120), (60, 30, 150), (20, 100, 50)]
for f, r, c in idx:
    print(f"{f},{r},{c},{ipp[0] + c * ps[1]:.4f},{ipp[1] + r * ps[0]:.4f},{ipp[2] + off[f]:.4f},{a[f, r, c]:.9f}")

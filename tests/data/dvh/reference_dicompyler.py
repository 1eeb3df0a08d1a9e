"""Reference DVH metrics for the dicompyler-core example plan, from two independent sources.

1. The planning system's own cumulative DVHs stored in rtdose.dcm (DVHSequence), read with
   dicompyler-core's `dvh.DVH.from_dicom_dvh` (DVHData is in Gy; the DVHMaximumDose/
   DVHMeanDose header values of this file are not, so metrics come from the curve).
2. dicompyler-core's own calculation, `dvhcalc.get_dvh(rtss, rtdose, roi)` with its defaults
   (voxel-centre in/out test, 0.01 Gy bins).

Run: python3 -m venv venv && venv/bin/pip install dicompyler-core==0.5.6 'pydicom<3'
     venv/bin/python tests/data/dvh/reference_dicompyler.py > tests/data/dvh/example_reference.csv
"""
import os
import sys

import dicompylercore
import pydicom
from dicompylercore import dicomparser, dvh, dvhcalc

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "dicompyler-example")
rtss_path = os.path.join(DATA, "rtss.dcm")
rtdose_path = os.path.join(DATA, "rtdose.dcm")

rtss = dicomparser.DicomParser(rtss_path)
rtdose = dicomparser.DicomParser(rtdose_path)
structures = rtss.GetStructures()
stored = rtdose.GetDVHs()

print(f"# dicompyler-core {dicompylercore.__version__}, pydicom {pydicom.__version__}, python {sys.version.split()[0]}")
print("roi_number,name,source,volume_cc,mean_gy,max_gy,min_gy,d95_gy,d2_gy,d50_gy,d98_gy")


def row(number, name, source, curve):
    if curve is None or curve.volume == 0:
        print(f"{number},{name},{source},0,,,,,,,")
        return
    print(
        f"{number},{name},{source},{curve.volume:.4f},{curve.mean:.4f},{curve.max:.4f},{curve.min:.4f},"
        f"{curve.D95.value:.4f},{curve.D2.value:.4f},{curve.D50.value:.4f},{curve.D98.value:.4f}"
    )


for number, structure in sorted(structures.items()):
    name = structure["name"]
    if number in stored:
        row(number, name, "planning_system", dvh.DVH.from_dicom_dvh(rtdose.ds, number))
    else:
        row(number, name, "planning_system", None)
    try:
        row(number, name, "dicompyler_core", dvhcalc.get_dvh(rtss_path, rtdose_path, number))
    except Exception as error:  # an ROI without contours
        print(f"{number},{name},dicompyler_core,0,,,,,,, # {type(error).__name__}", file=sys.stderr)
        row(number, name, "dicompyler_core", None)

"""Reference V(x Gy), V(x %) and D(x cc) metrics for the dicompyler-core example plan, from
dicompyler-core 0.5.6's own DVH statistics (`DVH.statistic`, e.g. `V10Gy`, `D2cc`, `V95` with
`rx_dose`) on two curves per structure:

1. the planning system's cumulative DVH stored in rtdose.dcm (`DVH.from_dicom_dvh`), and
2. dicompyler-core's own calculation, `dvhcalc.get_dvh(rtss, rtdose, roi)` with its defaults.

dicompyler-core looks statistics up at the nearest 0.01 Gy bin (no interpolation). V(x %) is
relative to the prescription PRESCRIPTION_GY below (the `rx_dose` of the curve).

Run: python3 -m venv venv && venv/bin/pip install dicompyler-core==0.5.6 'pydicom<3'
     venv/bin/python tests/data/dvh/reference_metrics.py > tests/data/dvh/example_metrics.csv
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

PRESCRIPTION_GY = 14.0
VOLUME_METRICS = ["V5Gy", "V10Gy", "V13Gy", "V95", "V100"]
DOSE_METRICS = ["D0.03cc", "D2cc", "D10cc"]

rtss = dicomparser.DicomParser(rtss_path)
rtdose = dicomparser.DicomParser(rtdose_path)
structures = rtss.GetStructures()
stored = rtdose.GetDVHs()

print(f"# dicompyler-core {dicompylercore.__version__}, pydicom {pydicom.__version__}, python {sys.version.split()[0]}; prescription {PRESCRIPTION_GY} Gy")
print("roi_number,name,source,volume_cc,metric,volume_cc_at,volume_pct_at,dose_gy")


def rows(number, name, source, curve):
    if curve is None or curve.volume == 0:
        return
    curve = dvh.DVH(curve.counts, curve.bins, dvh_type=curve.dvh_type, dose_units=curve.dose_units,
                    volume_units=curve.volume_units, rx_dose=PRESCRIPTION_GY, name=name)
    for metric in VOLUME_METRICS:
        cc = curve.statistic(metric).value
        # Our spelling: V<x>% for a percentage of the prescription.
        ours = metric if metric.endswith("Gy") else metric + "%"
        print(f"{number},{name},{source},{curve.volume:.4f},{ours},{cc:.4f},{100 * cc / curve.volume:.4f},")
    for metric in DOSE_METRICS:
        print(f"{number},{name},{source},{curve.volume:.4f},{metric},,,{curve.statistic(metric).value:.4f}")


for number, structure in sorted(structures.items()):
    name = structure["name"]
    if number in stored:
        rows(number, name, "planning_system", dvh.DVH.from_dicom_dvh(rtdose.ds, number))
    try:
        rows(number, name, "dicompyler_core", dvhcalc.get_dvh(rtss_path, rtdose_path, number))
    except Exception as error:  # an ROI without contours
        print(f"{number},{name}: {type(error).__name__}", file=sys.stderr)

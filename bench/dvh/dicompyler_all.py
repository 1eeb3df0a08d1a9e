"""DVHs of every structure of a plan with dicompyler-core, printed as JSON: run as its own
process by compare.py so that dicompyler-core, like oncourse and plastimatch, is timed from
process start, including its imports and reading the files."""
import json
import sys

from dicompylercore import dicomparser, dvhcalc

RTSS, RTDOSE = sys.argv[1], sys.argv[2]
result = {}
for number, structure in dicomparser.DicomParser(RTSS).GetStructures().items():
    try:
        curve = dvhcalc.get_dvh(RTSS, RTDOSE, number)
    except Exception:  # an ROI without contours
        continue
    if curve.volume > 0:
        result[structure["name"]] = {"volume": curve.volume, "mean": curve.mean, "max": curve.max, "d95": curve.D95.value, "d2": curve.D2.value}
json.dump(result, sys.stdout)

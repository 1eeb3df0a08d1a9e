"""Times oncourse, dicompyler-core and plastimatch on all structures of one plan and compares
each with the planning system's DVHs stored in the RTDOSE. Called by run.sh.

Every tool does the same work and is timed the same way: each runs as its own process(es),
from process start to exit, reading the two DICOM files and computing the DVH of every
structure with 0.01 Gy bins; wall and CPU time (of the child processes) are measured here."""
import csv
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import dicompylercore
from dicompylercore import dicomparser, dvh

ONCOURSE, DATA = sys.argv[1], sys.argv[2]
RTSS = os.path.join(DATA, "rtss.dcm")
RTDOSE = os.path.join(DATA, "rtdose.dcm")
REPEATS = 3


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def best_of(run):
    """Best wall and CPU seconds of REPEATS runs (the machine is shared) and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(REPEATS):
        wall0, cpu0 = time.perf_counter(), children_cpu()
        result = run()
        walls.append(time.perf_counter() - wall0)
        cpus.append(children_cpu() - cpu0)
    return min(walls), min(cpus), result


def metrics_from_cumulative(doses, volumes_cc):
    """Volume, mean, max, D95, D2 from a cumulative curve sampled at bin edges."""
    total = volumes_cc[0]
    if total <= 0:
        return None
    mean = sum(0.5 * (doses[i] + doses[i + 1]) * (volumes_cc[i] - volumes_cc[i + 1]) for i in range(len(doses) - 1)) / total
    maximum = max((doses[i + 1] for i in range(len(doses) - 1) if volumes_cc[i] > volumes_cc[i + 1]), default=0.0)

    def dose_at(fraction):
        target = fraction * total
        for i in range(len(doses) - 1):
            if volumes_cc[i] >= target > volumes_cc[i + 1]:
                return doses[i] + (doses[i + 1] - doses[i]) * (volumes_cc[i] - target) / (volumes_cc[i] - volumes_cc[i + 1])
        return doses[-1]

    return {"volume": total, "mean": mean, "max": maximum, "d95": dose_at(0.95), "d2": dose_at(0.02)}


rtss = dicomparser.DicomParser(RTSS)
rtdose = dicomparser.DicomParser(RTDOSE)
structures = rtss.GetStructures()
stored = rtdose.GetDVHs()
reference = {}
for number, structure in structures.items():
    if number in stored:
        curve = dvh.DVH.from_dicom_dvh(rtdose.ds, number)
        reference[structure["name"]] = {"volume": curve.volume, "mean": curve.mean, "max": curve.max, "d95": curve.D95.value, "d2": curve.D2.value}


def run_oncourse():
    output = subprocess.run([ONCOURSE, "dvh", "--rtstruct", RTSS, "--rtdose", RTDOSE, "--json"], check=True, capture_output=True).stdout
    result = {}
    for row in json.loads(output)["structures"]:
        if row["mean_gy"] is not None:
            result[row["name"]] = {"volume": row["volume_cc"], "mean": row["mean_gy"], "max": row["max_gy"], "d95": row["d95_gy"], "d2": row["d2_gy"]}
    return result


def run_dicompyler():
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dicompyler_all.py")
    return json.loads(subprocess.run([sys.executable, script, RTSS, RTDOSE], check=True, capture_output=True).stdout)


def run_plastimatch():
    folder = tempfile.mkdtemp()
    try:
        ss_img, ss_list, out = (os.path.join(folder, name) for name in ("ss.mha", "ss.txt", "dvh.csv"))
        subprocess.run(["plastimatch", "convert", "--input", RTSS, "--fixed", RTDOSE, "--output-ss-img", ss_img, "--output-ss-list", ss_list], check=True, capture_output=True)
        subprocess.run(["plastimatch", "dvh", "--input-ss-img", ss_img, "--input-ss-list", ss_list, "--input-dose", RTDOSE, "--output-csv", out,
                        "--bin-width", "0.01", "--num-bins", "2000", "--normalization", "vox", "--cumulative"], check=True, capture_output=True)
        rows = list(csv.reader(open(out)))
    finally:
        shutil.rmtree(folder)
    voxel_cc = float(rtdose.ds.PixelSpacing[0]) * float(rtdose.ds.PixelSpacing[1]) * 3.0 / 1000.0
    header, data = rows[0], rows[1:]
    doses = [float(row[0]) for row in data]
    result = {}
    for column, name in enumerate(header[1:], start=1):
        volumes = [float(row[column]) * voxel_cc for row in data if len(row) > column]
        metrics = metrics_from_cumulative(doses[: len(volumes)], volumes)
        if metrics:
            result[name] = metrics
    return result


tools = [("oncourse", run_oncourse), ("dicompyler-core " + dicompylercore.__version__, run_dicompyler)]
if shutil.which("plastimatch"):
    tools.append(("plastimatch", run_plastimatch))
results = {}
for name, run in tools:
    results[name] = best_of(run)

print(f"DVH of all {len(reference)} structures with a stored DVH, example plan; best of {REPEATS} runs each (shared machine: CPU time is the steadier number)")
print(f"{'tool':<22} {'wall s':>8} {'CPU s':>8} {'wall x':>8} {'CPU x':>8}   agreement with the planning system (absolute differences over structures)")
base_wall, base_cpu, _ = results["oncourse"]
for name, (wall, cpu, result) in results.items():
    errors = {key: [] for key in ("volume", "mean", "max", "d95", "d2")}
    for structure, ref in reference.items():
        got = result.get(structure)
        if not got:
            continue
        errors["volume"].append(abs(got["volume"] - ref["volume"]) / ref["volume"] * 100)
        for key in ("mean", "max", "d95", "d2"):
            errors[key].append(abs(got[key] - ref[key]))
    summary = f"volume {sum(errors['volume']) / len(errors['volume']):5.1f} %, " + ", ".join(
        f"{key} {sum(values) / len(values):.3f} Gy" for key, values in errors.items() if key != "volume")
    medians = f"volume {statistics.median(errors['volume']):5.1f} %, " + ", ".join(
        f"{key} {statistics.median(values):.3f} Gy" for key, values in errors.items() if key != "volume")
    print(f"{name:<22} {wall:8.3f} {cpu:8.3f} {wall / base_wall:8.1f} {cpu / base_cpu:8.1f}   mean:   {summary}")
    print(f"{'':<22} {'':>8} {'':>8} {'':>8} {'':>8}   median: {medians}")
print()
print("Per structure: the planning system's value, then each tool's difference from it (volume in %, doses in Gy)")
keys = ("volume", "mean", "max", "d95", "d2")
print(f"{'structure':<18} {'tool':<16} " + " ".join(f"{key:>9}" for key in keys))
for structure, ref in sorted(reference.items()):
    print(f"{structure:<18} {'planning system':<16} " + " ".join(f"{ref[key]:9.3f}" for key in keys))
    for name, (_, _, result) in results.items():
        got = result.get(structure)
        if not got:
            print(f"{'':<18} {name.split()[0]:<16} {'-':>9}")
            continue
        cells = [100 * (got["volume"] - ref["volume"]) / ref["volume"]] + [got[key] - ref[key] for key in keys[1:]]
        print(f"{'':<18} {name.split()[0]:<16} " + " ".join(f"{cell:+9.3f}" for cell in cells))

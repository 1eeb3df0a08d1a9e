#!/usr/bin/env python3
"""Writes boundaries.csv: values below, at and above every numeric threshold of the CTCAE v5.0
terms oncourse grades automatically, in several units, with the grade the CTCAE v5.0 text
assigns (range notation: "<75.0 - 50.0" is 50.0 <= x < 75.0; ">3.0 - 5.0 x ULN" is
3.0 ULN < x <= 5.0 ULN).

This is an independent transcription of the CTCAE text (not read from the crate's TOML): each
threshold is written here as CTCAE states it, with the grade just below, at and just above it.
Run: python3 make_boundaries.py > boundaries.csv  (Python 3, standard library only)."""
import csv
import sys

rows = []


def fmt(x):
    return "%.12g" % x


def q(value, unit):
    return f"{fmt(value)} {unit}" if unit else ""


def add(term, value, unit, expected, text, lln="", uln="", baseline=""):
    rows.append([term, fmt(value) if not isinstance(value, str) else value, unit, lln, uln,
                 baseline, expected, text])


def thresholds(term, items, units, lln=None, uln=None, baseline=None, delta=0.01):
    """items: (threshold in CTCAE unit, grade below, grade at, grade above, CTCAE text).
    units: (unit, factor from CTCAE unit to this unit). References are given in each unit."""
    for unit, factor in units:
        refs = dict(
            lln=q(lln * factor, unit) if lln is not None else "",
            uln=q(uln * factor, unit) if uln is not None else "",
            baseline=q(baseline * factor, unit) if baseline is not None else "",
        )
        for threshold, below, at, above, text in items:
            add(term, threshold * factor * (1 - delta), unit, below, text, **refs)
            add(term, threshold * factor, unit, at, text, **refs)
            add(term, threshold * factor * (1 + delta), unit, above, text, **refs)


COUNTS = [("10*9/L", 1.0), ("10*3/uL", 1.0), ("/uL", 1000.0), ("/mm3", 1000.0)]

# Platelet count decreased: <LLN - 75.0; <75.0 - 50.0; <50.0 - 25.0; <25.0 x 10e9 /L. LLN 150.
thresholds("Platelet count decreased", [
    (150.0, 1, 0, 0, "<LLN - 75.0 x 10e9 /L (LLN 150)"),
    (75.0, 2, 1, 1, "<75.0 - 50.0 x 10e9 /L"),
    (50.0, 3, 2, 2, "<50.0 - 25.0 x 10e9 /L"),
    (25.0, 4, 3, 3, "<25.0 x 10e9 /L"),
], COUNTS, lln=150.0)
# Neutrophil count decreased: <LLN - 1.5; <1.5 - 1.0; <1.0 - 0.5; <0.5 x 10e9 /L. LLN 2.0.
thresholds("Neutrophil count decreased", [
    (2.0, 1, 0, 0, "<LLN - 1.5 x 10e9 /L (LLN 2.0)"),
    (1.5, 2, 1, 1, "<1.5 - 1.0 x 10e9 /L"),
    (1.0, 3, 2, 2, "<1.0 - 0.5 x 10e9 /L"),
    (0.5, 4, 3, 3, "<0.5 x 10e9 /L"),
], COUNTS, lln=2.0)
# White blood cell decreased: <LLN - 3.0; <3.0 - 2.0; <2.0 - 1.0; <1.0 x 10e9 /L. LLN 4.0.
thresholds("White blood cell decreased", [
    (4.0, 1, 0, 0, "<LLN - 3.0 x 10e9 /L (LLN 4.0)"),
    (3.0, 2, 1, 1, "<3.0 - 2.0 x 10e9 /L"),
    (2.0, 3, 2, 2, "<2.0 - 1.0 x 10e9 /L"),
    (1.0, 4, 3, 3, "<1.0 x 10e9 /L"),
], COUNTS, lln=4.0)
# Lymphocyte count decreased: <LLN - 0.8; <0.8 - 0.5; <0.5 - 0.2; <0.2 x 10e9 /L. LLN 1.0.
thresholds("Lymphocyte count decreased", [
    (1.0, 1, 0, 0, "<LLN - 0.8 x 10e9/L (LLN 1.0)"),
    (0.8, 2, 1, 1, "<0.8 - 0.5 x 10e9 /L"),
    (0.5, 3, 2, 2, "<0.5 - 0.2 x 10e9 /L"),
    (0.2, 4, 3, 3, "<0.2 x 10e9 /L"),
], COUNTS, lln=1.0)
# Anemia: Hgb <LLN - 10.0 g/dL; <10.0 - 8.0 g/dL; <8.0 g/dL (and <100 - 80 g/L). LLN 12 g/dL.
thresholds("Anemia", [
    (12.0, 1, 0, 0, "Hemoglobin (Hgb) <LLN - 10.0 g/dL (LLN 12.0)"),
    (10.0, 2, 1, 1, "Hgb <10.0 - 8.0 g/dL"),
    (8.0, 3, 2, 2, "Hgb <8.0 g/dL"),
], [("g/dL", 1.0), ("g/L", 10.0)], lln=12.0)
# Anemia in mmol/L: <LLN - 6.2 mmol/L; <6.2 - 4.9 mmol/L; <4.9 mmol/L. LLN 7.4 mmol/L.
thresholds("Anemia", [
    (7.4, 1, 0, 0, "<LLN - 6.2 mmol/L (LLN 7.4)"),
    (6.2, 2, 1, 1, "<6.2 - 4.9 mmol/L"),
    (4.9, 3, 2, 2, "<4.9 mmol/L"),
], [("mmol/L", 1.0)], lln=7.4)

# Transaminases, baseline normal (none given): >ULN - 3.0; >3.0 - 5.0; >5.0 - 20.0; >20.0 x ULN.
for term in ["Alanine aminotransferase increased", "Aspartate aminotransferase increased"]:
    thresholds(term, [
        (40.0, 0, 0, 1, ">ULN - 3.0 x ULN if baseline was normal (ULN 40 U/L)"),
        (120.0, 1, 1, 2, ">3.0 - 5.0 x ULN if baseline was normal"),
        (200.0, 2, 2, 3, ">5.0 - 20.0 x ULN if baseline was normal"),
        (800.0, 3, 3, 4, ">20.0 x ULN if baseline was normal"),
    ], [("U/L", 1.0), ("ukat/L", 1.0 / 60.0)], uln=40.0)
    # Baseline abnormal (80 U/L > ULN 40): 1.5 - 3.0; >3.0 - 5.0; >5.0 - 20.0; >20.0 x baseline.
    thresholds(term, [
        (120.0, 0, 1, 1, "1.5 - 3.0 x baseline if baseline was abnormal (baseline 80, ULN 40)"),
        (240.0, 1, 1, 2, ">3.0 - 5.0 x baseline if baseline was abnormal"),
        (400.0, 2, 2, 3, ">5.0 - 20.0 x baseline if baseline was abnormal"),
        (1600.0, 3, 3, 4, ">20.0 x baseline if baseline was abnormal"),
    ], [("U/L", 1.0)], uln=40.0, baseline=80.0)
# ALP and GGT: >ULN - 2.5; >2.5 - 5.0; >5.0 - 20.0; >20.0 x ULN; baseline abnormal 2.0 - 2.5 x.
for term, uln in [("Alkaline phosphatase increased", 120.0), ("GGT increased", 60.0)]:
    thresholds(term, [
        (uln, 0, 0, 1, f">ULN - 2.5 x ULN if baseline was normal (ULN {uln:g} U/L)"),
        (2.5 * uln, 1, 1, 2, ">2.5 - 5.0 x ULN if baseline was normal"),
        (5.0 * uln, 2, 2, 3, ">5.0 - 20.0 x ULN if baseline was normal"),
        (20.0 * uln, 3, 3, 4, ">20.0 x ULN if baseline was normal"),
    ], [("U/L", 1.0), ("ukat/L", 1.0 / 60.0)], uln=uln)
    baseline = 1.5 * uln
    thresholds(term, [
        (2.0 * baseline, 0, 1, 1, "2.0 - 2.5 x baseline if baseline was abnormal (baseline 1.5 ULN)"),
        (2.5 * baseline, 1, 1, 2, ">2.5 - 5.0 x baseline if baseline was abnormal"),
        (5.0 * baseline, 2, 2, 3, ">5.0 - 20.0 x baseline if baseline was abnormal"),
        (20.0 * baseline, 3, 3, 4, ">20.0 x baseline if baseline was abnormal"),
    ], [("U/L", 1.0)], uln=uln, baseline=baseline)
# Blood bilirubin increased: >ULN - 1.5; >1.5 - 3.0; >3.0 - 10.0; >10.0 x ULN. ULN 1.2 mg/dL.
BILIRUBIN_UMOL_PER_MG_DL = 10.0 / 584.66 * 1000.0  # molar mass 584.66 g/mol (PubChem CID 5280352)
thresholds("Blood bilirubin increased", [
    (1.2, 0, 0, 1, ">ULN - 1.5 x ULN if baseline was normal (ULN 1.2 mg/dL)"),
    (1.8, 1, 1, 2, ">1.5 - 3.0 x ULN if baseline was normal"),
    (3.6, 2, 2, 3, ">3.0 - 10.0 x ULN if baseline was normal"),
    (12.0, 3, 3, 4, ">10.0 x ULN if baseline was normal"),
], [("mg/dL", 1.0), ("umol/L", BILIRUBIN_UMOL_PER_MG_DL)], uln=1.2)
# Baseline abnormal (2.0 mg/dL > ULN 1.2): > 1.0 - 1.5; >1.5 - 3.0; >3.0 - 10.0; >10.0 x baseline.
thresholds("Blood bilirubin increased", [
    (2.0, 0, 0, 1, "> 1.0 - 1.5 x baseline if baseline was abnormal (baseline 2.0, ULN 1.2 mg/dL)"),
    (3.0, 1, 1, 2, ">1.5 - 3.0 x baseline if baseline was abnormal"),
    (6.0, 2, 2, 3, ">3.0 - 10.0 x baseline if baseline was abnormal"),
    (20.0, 3, 3, 4, ">10.0 x baseline if baseline was abnormal"),
], [("mg/dL", 1.0), ("umol/L", BILIRUBIN_UMOL_PER_MG_DL)], uln=1.2, baseline=2.0)
# Creatinine increased: >ULN - 1.5; >1.5 - 3.0; >3.0 - 6.0; >6.0 x ULN. ULN 1.1 mg/dL.
CREATININE_UMOL_PER_MG_DL = 10.0 / 113.12 * 1000.0  # molar mass 113.12 g/mol (PubChem CID 588)
thresholds("Creatinine increased", [
    (1.1, 0, 0, 1, ">ULN - 1.5 x ULN (ULN 1.1 mg/dL)"),
    (1.65, 1, 1, 2, ">1.5 - 3.0 x ULN"),
    (3.3, 2, 2, 3, ">3.0 - 6.0 x ULN"),
    (6.6, 3, 3, 4, ">6.0 x ULN"),
], [("mg/dL", 1.0), ("umol/L", CREATININE_UMOL_PER_MG_DL)], uln=1.1)
# Creatinine against baseline 0.4 mg/dL (ULN 1.1): >1.5 - 3.0 x baseline (G2); >3.0 x baseline
# (G3). 0.6 mg/dL is 0.55 x ULN (normal); 1.2 mg/dL is 1.09 x ULN (G1 by ULN, G2 by baseline).
thresholds("Creatinine increased", [
    (0.6, 0, 0, 2, ">1.5 - 3.0 x baseline (baseline 0.4, ULN 1.1 mg/dL)"),
    (1.2, 2, 2, 3, ">3.0 x baseline"),
], [("mg/dL", 1.0), ("umol/L", CREATININE_UMOL_PER_MG_DL)], uln=1.1, baseline=0.4)

# Hypertension (adult): systolic 120 - 139; 140 - 159; >=160 mm Hg (diastolic held at 70).
KPA_PER_MMHG = 0.133322  # UCUM: mm[Hg] = 133.322 Pa
for unit, factor in [("mm[Hg]", 1.0), ("kPa", KPA_PER_MMHG)]:
    for systolic, expected, text in [
        (119, 0, "below Systolic BP 120 - 139 mm Hg"), (120, 1, "Systolic BP 120 - 139 mm Hg"),
        (139, 1, "Systolic BP 120 - 139 mm Hg"), (140, 2, "Systolic BP 140 - 159 mm Hg"),
        (159, 2, "Systolic BP 140 - 159 mm Hg"), (160, 3, "Systolic BP >=160 mm Hg"),
        (180, 3, "Systolic BP >=160 mm Hg"),
    ]:
        add("Hypertension", f"{fmt(systolic * factor)}/{fmt(70 * factor)}", unit, expected, text)
    for diastolic, expected, text in [
        (79, 0, "below diastolic BP 80 - 89 mm Hg"), (80, 1, "diastolic BP 80 - 89 mm Hg"),
        (89, 1, "diastolic BP 80 - 89 mm Hg"), (90, 2, "diastolic BP 90 - 99 mm Hg"),
        (99, 2, "diastolic BP 90 - 99 mm Hg"), (100, 3, "diastolic BP >=100 mm Hg"),
    ]:
        add("Hypertension", f"{fmt(110 * factor)}/{fmt(diastolic * factor)}", unit, expected, text)
# The seed patient's kind of reading: 165/95 is grade 3 by systolic, grade 2 by diastolic.
add("Hypertension", "165/95", "mm[Hg]", 3, "Systolic BP >=160 mm Hg")

# QTc: 450 - 480 ms; 481 - 500 ms; >= 501 ms; >60 ms change from baseline (grade 3).
for unit, factor in [("ms", 1.0), ("s", 0.001)]:
    for qtc, expected, text in [
        (449, 0, "below Average QTc 450 - 480 ms"), (450, 1, "Average QTc 450 - 480 ms"),
        (480, 1, "Average QTc 450 - 480 ms"), (481, 2, "Average QTc 481 - 500 ms"),
        (500, 2, "Average QTc 481 - 500 ms"), (501, 3, "Average QTc >= 501 ms"),
    ]:
        add("Electrocardiogram QT corrected interval prolonged", qtc * factor, unit, expected, text)
for qtc, expected, text in [
    (440, 0, ">60 ms change from baseline: change 60, QTc 440 (baseline 380)"),
    (441, 3, ">60 ms change from baseline: change 61 (baseline 380)"),
]:
    add("Electrocardiogram QT corrected interval prolonged", qtc, "ms", expected, text,
        baseline="380 ms")

# Proteinuria (adult): >=ULN - <1.0 g/24 hrs; 1.0 - <3.5 g/24 hrs; >=3.5 g/24 hrs. ULN 0.15.
thresholds("Proteinuria", [
    (0.15, 0, 1, 1, "urinary protein ≥ULN - <1.0 g/24 hrs (ULN 0.15 g/24 h)"),
    (1.0, 1, 2, 2, "urinary protein 1.0 - <3.5 g/24 hrs"),
    (3.5, 2, 3, 3, "Adult: Urinary protein >=3.5 g/24 hrs"),
], [("g/(24.h)", 1.0), ("mg/(24.h)", 1000.0), ("g/d", 1.0)], uln=0.15)
for reading, expected, text in [
    ("negative", 0, "below 1+ proteinuria"), ("trace", 0, "below 1+ proteinuria"),
    ("1+", 1, "1+ proteinuria"), ("2+", 2, "Adult: 2+ and 3+ proteinuria"),
    ("3+", 2, "Adult: 2+ and 3+ proteinuria"), ("4+", 3, "4+ proteinuria"),
]:
    add("Proteinuria", reading, "", expected, text)

# Diarrhea: increase of <4; 4 - 6; >=7 stools per day over baseline (baseline 2/day).
for stools, expected, text in [
    (2, 0, "no increase over baseline"), (3, 1, "Increase of <4 stools per day over baseline"),
    (5, 1, "Increase of <4 stools per day over baseline"),
    (6, 2, "Increase of 4 - 6 stools per day over baseline"),
    (8, 2, "Increase of 4 - 6 stools per day over baseline"),
    (9, 3, "Increase of >=7 stools per day over baseline"),
]:
    add("Diarrhea", stools, "/d", expected, text, baseline="2 /d")
    add("Diarrhea", stools, "/(24.h)", expected, text, baseline="2 /(24.h)")

# Weight loss: 5 to <10%; 10 - <20%; >=20% from baseline (baseline 80 kg).
thresholds("Weight loss", [
    (76.0, 1, 1, 0, "5 to <10% from baseline (baseline 80 kg)"),
    (72.0, 2, 2, 1, "10 - <20% from baseline"),
    (64.0, 3, 3, 2, ">=20% from baseline"),
], [("kg", 1.0), ("g", 1000.0)], baseline=80.0, delta=0.001)

# Hypertriglyceridemia: 150 - 300; >300 - 500; >500 - 1000; >1000 mg/dL (no ULN: grade 0 < 150).
thresholds("Hypertriglyceridemia", [
    (150.0, 0, 1, 1, "150 mg/dL - 300 mg/dL"),
    (300.0, 1, 1, 2, ">300 mg/dL - 500 mg/dL"),
    (500.0, 2, 2, 3, ">500 mg/dL - 1000 mg/dL"),
    (1000.0, 3, 3, 4, ">1000 mg/dL"),
], [("mg/dL", 1.0), ("g/L", 0.01)])
# ... and CTCAE's own mmol/L bands: 1.71 - 3.42; >3.42 - 5.7; >5.7 - 11.4; >11.4 mmol/L.
thresholds("Hypertriglyceridemia", [
    (1.71, 0, 1, 1, "1.71 mmol/L - 3.42 mmol/L"),
    (3.42, 1, 1, 2, ">3.42 mmol/L - 5.7 mmol/L"),
    (5.7, 2, 2, 3, ">5.7 mmol/L - 11.4 mmol/L"),
    (11.4, 3, 3, 4, ">11.4 mmol/L"),
], [("mmol/L", 1.0)])
# Cholesterol high: >ULN - 300; >300 - 400; >400 - 500; >500 mg/dL (ULN 200 mg/dL) and
# >ULN - 7.75; >7.75 - 10.34; >10.34 - 12.92; >12.92 mmol/L (ULN 5.2 mmol/L).
thresholds("Cholesterol high", [
    (200.0, 0, 0, 1, ">ULN - 300 mg/dL (ULN 200)"),
    (300.0, 1, 1, 2, ">300 - 400 mg/dL"),
    (400.0, 2, 2, 3, ">400 - 500 mg/dL"),
    (500.0, 3, 3, 4, ">500 mg/dL"),
], [("mg/dL", 1.0)], uln=200.0)
thresholds("Cholesterol high", [
    (5.2, 0, 0, 1, ">ULN - 7.75 mmol/L (ULN 5.2)"),
    (7.75, 1, 1, 2, ">7.75 - 10.34 mmol/L"),
    (10.34, 2, 2, 3, ">10.34 - 12.92 mmol/L"),
    (12.92, 3, 3, 4, ">12.92 mmol/L"),
], [("mmol/L", 1.0)], uln=5.2)
# Hypoalbuminemia: <LLN - 3 g/dL; <3 - 2 g/dL; <2 g/dL (and <LLN - 30; <30 - 20; <20 g/L). LLN 3.5.
thresholds("Hypoalbuminemia", [
    (3.5, 1, 0, 0, "<LLN - 3 g/dL (LLN 3.5 g/dL)"),
    (3.0, 2, 1, 1, "<3 - 2 g/dL"),
    (2.0, 3, 2, 2, "<2 g/dL"),
], [("g/dL", 1.0), ("g/L", 10.0)], lln=3.5)

writer = csv.writer(sys.stdout, lineterminator="\n")
writer.writerow(["term", "value", "unit", "lln", "uln", "baseline", "expected_grade", "ctcae_text"])
writer.writerows(rows)

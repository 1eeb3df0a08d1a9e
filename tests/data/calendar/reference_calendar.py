#!/usr/bin/env python3
"""Independent reference for the oncourse drug and radiotherapy calendars.

Written from the rules in docs/case-file.md ("How the drug calendar reads these facts") and
the definitions cited in crates/oncourse-engine (Longo et al., J Clin Oncol 1991;9:2042, the
whole-course method; Fowler, Br J Radiol 1989;62:679 for BED and elapsed overall time), with
Python's standard library only (datetime, tomllib), without looking at the Rust code paths.

Usage: python3 reference_calendar.py CASE.toml AS_OF > expected.json
"""
import datetime as dt
import json
import sys
import tomllib


def parse_mass_mg(text):
    value, unit = text.split()
    return float(value) * {"ug": 0.001, "mg": 1.0, "g": 1000.0}[unit]


def parse_gy(text):
    value, unit = text.split()
    return float(value) * {"mGy": 0.001, "cGy": 0.01, "Gy": 1.0}[unit]


def entries(section, key):
    value = section.get(key, [])
    return [value] if isinstance(value, dict) else value


def drug(case, as_of):
    out = []
    drugs = case.get("drug", {})
    for reg in entries(drugs, "regimen"):
        if reg["date"] > as_of:
            continue
        ladder = [parse_mass_mg(x) for x in reg["dose_levels"]]
        holds = [(h["date"], h.get("resume") if h.get("resume") and h["resume"] <= as_of else None)
                 for h in entries(drugs, "hold") if h["regimen"] == reg["id"] and h["date"] <= as_of]
        changes = sorted((c["date"], parse_mass_mg(c["dose"]))
                         for c in entries(drugs, "dose_change") if c["regimen"] == reg["id"] and c["date"] <= as_of)
        stops = [s["date"] for s in entries(drugs, "stop") if s["regimen"] == reg["id"] and s["date"] <= as_of]
        stop = min(stops) if stops else None
        last_day = min(as_of, stop - dt.timedelta(days=1)) if stop else as_of
        on, length = reg["days_on"], reg["cycle_length_days"]

        def held(day):
            return any(h0 <= day and (r is None or day < r) for h0, r in holds)

        def dose(day):
            mg = ladder[0]
            for d, m in changes:
                if d <= day:
                    mg = m
            return mg

        cycles = []
        start = reg["date"]
        planned = reg["date"]
        while start <= last_day:
            dosed, lost, total, first = 0, 0, 0.0, None
            for k in range(on):
                day = start + dt.timedelta(days=k)
                if day > last_day:
                    break
                if held(day):
                    lost += 1
                    continue
                mg = dose(day)
                first = mg if first is None else first
                dosed += 1
                total += mg
            mg = first if first is not None else dose(start)
            end = start + dt.timedelta(days=length - 1)
            cycles.append({
                "cycle": len(cycles) + 1, "start": start.isoformat(),
                "delayed_days": (start - planned).days, "dose_mg": mg,
                "dose_level": ladder.index(mg), "dosed_days": dosed, "held_days": lost,
                "delivered_mg": total, "complete": end <= as_of or stop is not None,
            })
            nxt = start + dt.timedelta(days=length)
            planned = nxt
            block = [r for h0, r in holds if h0 <= nxt and (r is None or nxt < r)]
            if block and block[0] is None:
                break
            start = block[0] if block else nxt
        done = [c for c in cycles if c["complete"]]
        planned_per_day = ladder[0] * on / length
        rdi = None
        if done:
            last_start = dt.date.fromisoformat(done[-1]["start"])
            duration = (last_start + dt.timedelta(days=length) - reg["date"]).days
            rdi = sum(c["delivered_mg"] for c in done) / duration / planned_per_day
        out.append({"regimen": reg["id"], "cycles": cycles,
                    "total_delivered_mg": sum(c["delivered_mg"] for c in cycles),
                    "relative_dose_intensity": rdi})
    return out


def radiotherapy(case, as_of):
    rt = case.get("radiotherapy", {})
    phases = {p["id"]: parse_gy(p["dose_per_fraction"]) for p in entries(rt, "phase") if p["date"] <= as_of}
    fx = sorted((f["date"], phases[f["phase"]]) for f in entries(rt, "fraction") if f["date"] <= as_of)
    result = {"fractions_delivered": len(fx), "physical_gy": sum(d for _, d in fx)}
    if fx:
        result["overall_treatment_time_days"] = (fx[-1][0] - fx[0][0]).days
    # BED = sum over fractions of d (1 + d / (alpha/beta)); EQD2 = BED / (1 + 2 / (alpha/beta)).
    result["eqd2_gy"] = {}
    for ab in (1.7, 1.8, 2.0, 2.8, 3.0, 4.9, 10.0, 11.2):
        bed = sum(d * (1 + d / ab) for _, d in fx)
        result["eqd2_gy"][str(ab)] = {"bed_gy": bed, "eqd2_gy": bed / (1 + 2 / ab)}
    return result


def main():
    with open(sys.argv[1], "rb") as f:
        case = tomllib.load(f)
    as_of = dt.date.fromisoformat(sys.argv[2])
    json.dump({"as_of": as_of.isoformat(), "radiotherapy": radiotherapy(case, as_of),
               "drug": drug(case, as_of)}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()

//! Dose-volume histograms and the metrics read from them.
//!
//! The histogram keeps the volume per dose bin (differential); cumulative values, Dx and Vx are
//! read from it assuming dose is spread evenly inside a bin, and clamped to the exact sampled
//! minimum and maximum. The mean is exact (Σ dose × volume / volume), not read from bins.

/// The default bin width, Gy.
pub const DEFAULT_BIN_WIDTH_GY: f64 = 0.01;

/// Runs of at most this many bins in arithmetic progression are added bin by bin; longer ones
/// as second differences.
const DIRECT_BINS: usize = 2;

/// Accumulates sampled (dose, volume) pairs.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    bin_width_gy: f64,
    /// `1 / bin_width_gy`.
    bins_per_gy: f64,
    /// Volume per bin added bin by bin, mm³.
    differential_mm3: Vec<f64>,
    /// Second differences of the volume per bin added as runs in arithmetic progression, mm³:
    /// summed twice, they give each bin's share.
    second_differences_mm3: Vec<f64>,
    volume_mm3: f64,
    dose_volume_sum: f64,
    min_gy: f64,
    max_gy: f64,
}

impl Histogram {
    /// An empty histogram with bins of `bin_width_gy` (positive, finite; checked by callers).
    pub fn new(bin_width_gy: f64) -> Self {
        Histogram {
            bin_width_gy,
            bins_per_gy: 1.0 / bin_width_gy,
            differential_mm3: Vec::new(),
            second_differences_mm3: Vec::new(),
            volume_mm3: 0.0,
            dose_volume_sum: 0.0,
            min_gy: f64::INFINITY,
            max_gy: f64::NEG_INFINITY,
        }
    }

    /// Adds `volume_mm3` of tissue receiving `dose_gy`.
    #[inline]
    pub fn add(&mut self, dose_gy: f64, volume_mm3: f64) {
        let bin = (dose_gy / self.bin_width_gy) as usize;
        if bin >= self.differential_mm3.len() {
            self.differential_mm3.resize(bin + 1, 0.0);
        }
        self.differential_mm3[bin] += volume_mm3;
        self.volume_mm3 += volume_mm3;
        self.dose_volume_sum += dose_gy * volume_mm3;
        self.min_gy = self.min_gy.min(dose_gy);
        self.max_gy = self.max_gy.max(dose_gy);
    }

    /// Adds `volume_mm3` of tissue over a rectangle (a row segment in x times a slab in z)
    /// whose corner doses are `[x0 z0, x1 z0, x0 z1, x1 z1]`. The dose is taken as linear over
    /// the rectangle (bilinear interpolation minus its small cross term), whose doses are then
    /// the sum of two uniform variables: the volume is spread over that trapezoidal
    /// distribution, exact for a linear dose, instead of landing in one bin.
    ///
    /// The trapezoid's density is linear on each of its three pieces (rising, flat, falling), so
    /// the bins wholly inside a piece get volumes in arithmetic progression: those runs are
    /// recorded in O(1) as second differences (summed once in [`Histogram::finish`]); only the
    /// few bins straddling a corner of the trapezoid evaluate its cumulative distribution.
    #[inline]
    pub fn add_rectangle(&mut self, corners_gy: [f64; 4], volume_mm3: f64) {
        let [d00, d10, d01, d11] = corners_gy;
        let centre = 0.25 * (d00 + d10 + d01 + d11);
        let along_x = (0.5 * ((d10 - d00) + (d11 - d01))).abs();
        let along_z = (0.5 * ((d01 - d00) + (d11 - d10))).abs();
        let (mut short, mut long) = if along_x <= along_z {
            (along_x, along_z)
        } else {
            (along_z, along_x)
        };
        // Where the cross term is large the linear range overshoots the corners: shrink it to
        // them so no dose outside the interpolated values appears (the mean stays exact).
        let lowest = lesser(lesser(d00, d10), lesser(d01, d11));
        let highest = greater(greater(d00, d10), greater(d01, d11));
        if short + long > highest - lowest {
            let shrink = (highest - lowest) / (short + long);
            short *= shrink;
            long *= shrink;
        }
        let half_range = 0.5 * (short + long);
        let middle = lesser(greater(centre, lowest + half_range), highest - half_range);
        let low = middle - half_range;
        let high = middle + half_range;
        self.volume_mm3 += volume_mm3;
        self.dose_volume_sum += centre * volume_mm3;
        self.min_gy = lesser(self.min_gy, low);
        self.max_gy = greater(self.max_gy, high);
        // From here on doses are in bins (multiplications instead of divisions in the hot path).
        let scale = self.bins_per_gy;
        let low = low * scale;
        let first_bin = floor_index(low);
        let last_bin = floor_index(high * scale);
        if last_bin >= self.differential_mm3.len() {
            self.differential_mm3.resize(last_bin + 1, 0.0);
        }
        if first_bin == last_bin || long <= 0.0 {
            self.differential_mm3[first_bin] += volume_mm3;
            return;
        }
        let (short, long) = (short * scale, long * scale);
        // Cumulative distribution of short·U + long·V (U, V uniform on [0, 1]) at t ≥ 0, with
        // its divisions hoisted out. A short side below 1e-12 of the long one is the uniform
        // distribution over the long side (1/(2·short·long) would lose all precision).
        let total = short + long;
        let inverse_long = 1.0 / long;
        let thin = short <= 1e-12 * long;
        let inverse_corner = if thin {
            0.0
        } else {
            1.0 / (2.0 * short * long)
        };
        let cdf = |t: f64| -> f64 {
            let t = lesser(greater(t, 0.0), total);
            if thin {
                t * inverse_long
            } else if t < short {
                t * t * inverse_corner
            } else if t <= long {
                (t - 0.5 * short) * inverse_long
            } else {
                let rest = total - t;
                1.0 - rest * rest * inverse_corner
            }
        };
        // The corners of the trapezoid relative to `low`; for each piece between two of them,
        // the volume of its first whole bin (density at the bin's middle, bins one wide) and
        // the change from one bin to the next.
        let knots = [0.0, short, long, total];
        let ramp = 2.0 * inverse_corner * volume_mm3;
        let whole_bin = |piece: usize, bin: usize| -> (f64, f64) {
            let centre = bin as f64 + 0.5 - low;
            match piece {
                0 => (ramp * centre, ramp),
                1 => (volume_mm3 * inverse_long, 0.0),
                _ => (ramp * (total - centre), -ramp),
            }
        };
        let mut bin = first_bin;
        let mut below = 0.0;
        for piece in 0..3 {
            let from = ceiling_index(low + knots[piece]).clamp(bin, last_bin + 1);
            let to = floor_index(low + knots[piece + 1]).clamp(from, last_bin + 1);
            // Bins straddling the piece's lower corner.
            while bin < from {
                let upper = cdf((bin + 1) as f64 - low);
                self.differential_mm3[bin] += (upper - below) * volume_mm3;
                below = upper;
                bin += 1;
            }
            if to > from && !(thin && piece != 1) {
                let (first, step) = whole_bin(piece, from);
                self.add_progression(from, to, first, step);
                bin = to;
                below = cdf(to as f64 - low);
            }
        }
        while bin <= last_bin {
            let upper = cdf((bin + 1) as f64 - low);
            self.differential_mm3[bin] += (upper - below) * volume_mm3;
            below = upper;
            bin += 1;
        }
    }

    /// Adds `first + step·k` to bin `from + k` for every bin in `from..to`: directly for a few
    /// bins, else as four second differences (`Δ²` of the progression is zero inside it).
    #[inline]
    fn add_progression(&mut self, from: usize, to: usize, first: f64, step: f64) {
        let count = to - from;
        if count <= DIRECT_BINS {
            for (k, volume) in self.differential_mm3[from..to].iter_mut().enumerate() {
                *volume += first + step * k as f64;
            }
            return;
        }
        if to + 2 > self.second_differences_mm3.len() {
            self.second_differences_mm3.resize(to + 2, 0.0);
        }
        let last = first + step * (count - 1) as f64;
        let differences = &mut self.second_differences_mm3;
        differences[from] += first;
        differences[from + 1] += step - first;
        differences[to] -= last + step;
        differences[to + 1] += last;
    }

    /// Adds another histogram with the same bin width.
    pub fn merge(mut self, other: Histogram) -> Histogram {
        add_into(&mut self.differential_mm3, &other.differential_mm3);
        add_into(
            &mut self.second_differences_mm3,
            &other.second_differences_mm3,
        );
        self.volume_mm3 += other.volume_mm3;
        self.dose_volume_sum += other.dose_volume_sum;
        self.min_gy = self.min_gy.min(other.min_gy);
        self.max_gy = self.max_gy.max(other.max_gy);
        self
    }

    /// The finished DVH; `None` when nothing was added.
    pub fn finish(mut self) -> Option<Dvh> {
        (self.volume_mm3 > 0.0).then(|| {
            // The runs recorded as second differences, summed twice into their bins (they end
            // inside the bins added to, so nothing lies beyond them).
            let mut difference = 0.0;
            let mut run_volume = 0.0;
            for (volume, second) in self
                .differential_mm3
                .iter_mut()
                .zip(&self.second_differences_mm3)
            {
                difference += second;
                run_volume += difference;
                *volume += run_volume;
            }
            let mut cumulative_cc = vec![0.0; self.differential_mm3.len() + 1];
            for bin in (0..self.differential_mm3.len()).rev() {
                cumulative_cc[bin] = cumulative_cc[bin + 1] + self.differential_mm3[bin] / 1000.0;
            }
            Dvh {
                bin_width_gy: self.bin_width_gy,
                differential_cc: self
                    .differential_mm3
                    .iter()
                    .map(|volume| volume / 1000.0)
                    .collect(),
                cumulative_cc,
                volume_cc: self.volume_mm3 / 1000.0,
                min_gy: self.min_gy,
                max_gy: self.max_gy,
                mean_gy: self.dose_volume_sum / self.volume_mm3,
            }
        })
    }
}

/// Adds `other` element-wise into `sum`, extending it as needed.
fn add_into(sum: &mut Vec<f64>, other: &[f64]) {
    if other.len() > sum.len() {
        sum.resize(other.len(), 0.0);
    }
    for (total, value) in sum.iter_mut().zip(other) {
        *total += value;
    }
}

/// The smaller of two numbers that are not NaN (one comparison; `f64::min` also handles NaN).
#[inline]
fn lesser(a: f64, b: f64) -> f64 {
    if a < b { a } else { b }
}

/// The larger of two numbers that are not NaN.
#[inline]
fn greater(a: f64, b: f64) -> f64 {
    if a > b { a } else { b }
}

/// The largest index at or below `position` (0 for a negative one), without a libm call.
#[inline]
fn floor_index(position: f64) -> usize {
    // Truncation is the floor for a non-negative number; i64 conversions are one instruction
    // each on x86-64, usize's several.
    greater(position, 0.0) as i64 as usize
}

/// The smallest index at or above `position` (0 for a negative one), without a libm call.
#[inline]
fn ceiling_index(position: f64) -> usize {
    let floor = floor_index(position);
    floor + usize::from((floor as i64 as f64) < position)
}

/// A dose-volume histogram of one structure.
#[derive(Debug, Clone, PartialEq)]
pub struct Dvh {
    /// Width of every bin, Gy; bin `i` covers `[i·w, (i+1)·w)`.
    pub bin_width_gy: f64,
    /// Volume per bin, cm³ (differential DVH).
    pub differential_cc: Vec<f64>,
    /// Volume receiving at least `i·w`, cm³, for `i = 0..=bins` (cumulative DVH).
    pub cumulative_cc: Vec<f64>,
    /// The volume the DVH covers, cm³.
    pub volume_cc: f64,
    /// The lowest sampled dose, Gy.
    pub min_gy: f64,
    /// The highest sampled dose, Gy.
    pub max_gy: f64,
    /// The volume-weighted mean dose, Gy.
    pub mean_gy: f64,
}

impl Dvh {
    /// Volume receiving at least `dose_gy`, cm³.
    pub fn volume_at_least_cc(&self, dose_gy: f64) -> f64 {
        if dose_gy <= self.min_gy {
            return self.volume_cc;
        }
        if dose_gy > self.max_gy {
            return 0.0;
        }
        let position = dose_gy / self.bin_width_gy;
        let bin = position.floor() as usize;
        if bin >= self.differential_cc.len() {
            return 0.0;
        }
        self.cumulative_cc[bin + 1] + self.differential_cc[bin] * (bin as f64 + 1.0 - position)
    }

    /// Volume receiving at least `dose_gy`, percent of the structure.
    pub fn volume_at_least_pct(&self, dose_gy: f64) -> f64 {
        100.0 * self.volume_at_least_cc(dose_gy) / self.volume_cc
    }

    /// The dose that the hottest `volume_cc` receives at least, Gy (the minimum dose of the
    /// hottest `volume_cc`): Dmin when `volume_cc` is the whole structure or more, Dmax at 0.
    pub fn dose_covering_cc(&self, volume_cc: f64) -> f64 {
        if volume_cc >= self.volume_cc {
            return self.min_gy;
        }
        if volume_cc <= 0.0 {
            return self.max_gy;
        }
        // The last bin whose lower edge still has at least `volume_cc` at or above it.
        let bin = self
            .cumulative_cc
            .partition_point(|cumulative| *cumulative >= volume_cc)
            .saturating_sub(1);
        let in_bin = self.differential_cc.get(bin).copied().unwrap_or(0.0);
        let dose = if in_bin > 0.0 {
            (bin as f64 + (self.cumulative_cc[bin] - volume_cc) / in_bin) * self.bin_width_gy
        } else {
            bin as f64 * self.bin_width_gy
        };
        dose.max(self.min_gy).min(self.max_gy)
    }

    /// The dose covering `percent` of the structure, Gy (D95% is `dose_covering_pct(95.0)`).
    pub fn dose_covering_pct(&self, percent: f64) -> f64 {
        self.dose_covering_cc(self.volume_cc * percent / 100.0)
    }

    /// The cumulative DVH as (dose Gy, volume %) points at every bin edge from 0 to the end.
    pub fn cumulative_pct_points(&self) -> (Vec<f64>, Vec<f64>) {
        self.cumulative_cc
            .iter()
            .enumerate()
            .map(|(bin, volume)| {
                (
                    bin as f64 * self.bin_width_gy,
                    100.0 * volume / self.volume_cc,
                )
            })
            .unzip()
    }

    /// Homogeneity index (D2% − D98%) / D50% (ICRU Report 83, 2010, section 3.7.1).
    pub fn homogeneity_index(&self) -> f64 {
        (self.dose_covering_pct(2.0) - self.dose_covering_pct(98.0)) / self.dose_covering_pct(50.0)
    }
}

/// Paddick's conformity index TV_PIV² / (TV × PIV) (Paddick, J Neurosurg 2000;93 Suppl 3:219):
/// `target_cc` the target volume, `target_covered_cc` the part of it receiving the prescription,
/// `prescription_isodose_cc` the whole volume receiving the prescription. 1 is perfect.
pub fn paddick_conformity_index(
    target_cc: f64,
    target_covered_cc: f64,
    prescription_isodose_cc: f64,
) -> f64 {
    target_covered_cc * target_covered_cc / (target_cc * prescription_isodose_cc)
}

/// The RTOG conformity index PIV / TV (Shaw et al., Int J Radiat Oncol Biol Phys 1993;27:1231).
pub fn rtog_conformity_index(target_cc: f64, prescription_isodose_cc: f64) -> f64 {
    prescription_isodose_cc / target_cc
}

#[cfg(test)]
mod tests {
    use super::Histogram;

    /// The reference: the rectangle's linear dose sampled at the midpoints of an n × n lattice,
    /// each point binned on its own (independent of the trapezoid and of the run encoding).
    fn sampled(corners_gy: [f64; 4], volume_mm3: f64, bin_width_gy: f64, n: usize) -> Vec<f64> {
        let [d00, d10, d01, _] = corners_gy;
        let mut histogram = Histogram::new(bin_width_gy);
        for i in 0..n {
            for j in 0..n {
                let (u, v) = ((i as f64 + 0.5) / n as f64, (j as f64 + 0.5) / n as f64);
                let dose = d00 + (d10 - d00) * u + (d01 - d00) * v;
                histogram.add(dose, volume_mm3 / (n * n) as f64);
            }
        }
        histogram.finish().expect("volume added").differential_cc
    }

    const SAMPLES: usize = 1500;

    #[test]
    fn rectangles_are_spread_as_their_sampled_linear_dose() {
        // Long ramps on both sides (runs of many bins), a thin one (uniform), a short one
        // straddling a few bins, one in a single bin and one starting at 0 Gy.
        let cases: [[f64; 2]; 6] = [
            [0.37, 0.91],
            [0.02, 0.6],
            [1e-15, 0.3],
            [0.003, 0.012],
            [0.001, 0.0],
            [0.25, 0.4],
        ];
        for (case, [along_x, along_z]) in cases.iter().enumerate() {
            let start = if case == 5 { 0.0 } else { 10.004 };
            let corners = [
                start,
                start + along_x,
                start + along_z,
                start + along_x + along_z,
            ];
            let mut histogram = Histogram::new(0.01);
            histogram.add_rectangle(corners, 8.0);
            let spread = histogram.finish().expect("volume added").differential_cc;
            let reference = sampled(corners, 8.0, 0.01, SAMPLES);
            let total: f64 = spread.iter().sum();
            assert!(
                (total - 0.008).abs() < 1e-15,
                "case {case}: total {total} cm³"
            );
            // Midpoint sampling misplaces up to about one lattice row per bin edge (1/n of the
            // volume); an empty last bin at an exact edge is no difference.
            for bin in 0..spread.len().max(reference.len()) {
                let ours = spread.get(bin).copied().unwrap_or(0.0);
                let theirs = reference.get(bin).copied().unwrap_or(0.0);
                assert!(
                    (ours - theirs).abs() <= 2.0 * 0.008 / SAMPLES as f64,
                    "case {case} bin {bin}: {ours} cm³ spread, {theirs} cm³ sampled"
                );
            }
        }
    }
}

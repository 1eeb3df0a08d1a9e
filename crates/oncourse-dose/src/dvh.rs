//! Dose-volume histograms and the metrics read from them.
//!
//! The histogram keeps the volume per dose bin (differential); cumulative values, Dx and Vx are
//! read from it assuming dose is spread evenly inside a bin, and clamped to the exact sampled
//! minimum and maximum. The mean is exact (Σ dose × volume / volume), not read from bins.

/// The default bin width, Gy.
pub const DEFAULT_BIN_WIDTH_GY: f64 = 0.01;

/// Accumulates sampled (dose, volume) pairs.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    bin_width_gy: f64,
    differential_mm3: Vec<f64>,
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
            differential_mm3: Vec::new(),
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
        // (Casting a non-negative number truncates it, which is its floor.)
        let first_bin = (greater(low, 0.0) / self.bin_width_gy) as usize;
        let last_bin = (greater(high, 0.0) / self.bin_width_gy) as usize;
        self.volume_mm3 += volume_mm3;
        self.dose_volume_sum += centre * volume_mm3;
        self.min_gy = lesser(self.min_gy, low);
        self.max_gy = greater(self.max_gy, high);
        if last_bin >= self.differential_mm3.len() {
            self.differential_mm3.resize(last_bin + 1, 0.0);
        }
        if first_bin == last_bin || long <= 0.0 {
            self.differential_mm3[first_bin] += volume_mm3;
            return;
        }
        // Cumulative distribution of short·U + long·V (U, V uniform on [0, 1]) at t ≥ 0, with
        // its divisions hoisted out of the per-bin loop.
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
        // Bins wholly inside the linear part of the distribution (short ≤ t ≤ long) each get the
        // same share, width / long; only the bins at the two quadratic ends need the CDF.
        let width = self.bin_width_gy;
        let middle_start = ceiling_index((low + short) / width).clamp(first_bin, last_bin + 1);
        let middle_end =
            ((greater(low + long, 0.0) / width) as usize).clamp(middle_start, last_bin + 1);
        let bins = &mut self.differential_mm3;
        let mut spread = |from: usize, to: usize, mut below: f64| {
            for (bin, volume) in (from..to).zip(&mut bins[from..to]) {
                let upper = cdf((bin + 1) as f64 * width - low);
                *volume += (upper - below) * volume_mm3;
                below = upper;
            }
        };
        spread(first_bin, middle_start, 0.0);
        spread(
            middle_end,
            last_bin + 1,
            cdf(middle_end as f64 * width - low),
        );
        let share = width * inverse_long * volume_mm3;
        for volume in &mut self.differential_mm3[middle_start..middle_end] {
            *volume += share;
        }
    }

    /// Adds another histogram with the same bin width.
    pub fn merge(mut self, other: Histogram) -> Histogram {
        if other.differential_mm3.len() > self.differential_mm3.len() {
            self.differential_mm3
                .resize(other.differential_mm3.len(), 0.0);
        }
        for (bin, volume) in other.differential_mm3.iter().enumerate() {
            self.differential_mm3[bin] += volume;
        }
        self.volume_mm3 += other.volume_mm3;
        self.dose_volume_sum += other.dose_volume_sum;
        self.min_gy = self.min_gy.min(other.min_gy);
        self.max_gy = self.max_gy.max(other.max_gy);
        self
    }

    /// The finished DVH; `None` when nothing was added.
    pub fn finish(self) -> Option<Dvh> {
        (self.volume_mm3 > 0.0).then(|| {
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

/// The smallest index at or above `position` (0 for a negative one), without a libm call.
#[inline]
fn ceiling_index(position: f64) -> usize {
    if position <= 0.0 {
        return 0;
    }
    let truncated = position as usize;
    truncated + usize::from((truncated as f64) < position)
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

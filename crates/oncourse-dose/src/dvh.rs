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

    /// Adds `volume_mm3` of tissue whose dose runs linearly from `dose_a_gy` to `dose_b_gy`
    /// (a row segment inside one bilinear dose cell): the volume is spread evenly over that
    /// dose range, which is exact for a linear dose, instead of landing in one bin.
    #[inline]
    pub fn add_linear(&mut self, dose_a_gy: f64, dose_b_gy: f64, volume_mm3: f64) {
        let (low, high) = if dose_a_gy <= dose_b_gy {
            (dose_a_gy, dose_b_gy)
        } else {
            (dose_b_gy, dose_a_gy)
        };
        let first_bin = (low / self.bin_width_gy) as usize;
        let last_bin = (high / self.bin_width_gy) as usize;
        if first_bin == last_bin {
            self.add(0.5 * (low + high), volume_mm3);
            return;
        }
        if last_bin >= self.differential_mm3.len() {
            self.differential_mm3.resize(last_bin + 1, 0.0);
        }
        let per_gy = volume_mm3 / (high - low);
        for bin in first_bin..=last_bin {
            let bin_low = (bin as f64 * self.bin_width_gy).max(low);
            let bin_high = ((bin + 1) as f64 * self.bin_width_gy).min(high);
            self.differential_mm3[bin] += (bin_high - bin_low).max(0.0) * per_gy;
        }
        self.volume_mm3 += volume_mm3;
        self.dose_volume_sum += 0.5 * (low + high) * volume_mm3;
        self.min_gy = self.min_gy.min(low);
        self.max_gy = self.max_gy.max(high);
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
        dose.clamp(self.min_gy, self.max_gy)
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

//! Value parsers shared by subcommands. Each error names what was expected and repeats the bad
//! value; clap adds the argument's name.

use oncourse_radbio::regimen::Delivery;
use oncourse_radbio::tissues::{self, Tissue};
use oncourse_radbio::{AlphaBeta, Phase};
use std::io::Write;

/// A `--phase` value: dose per fraction × fractions, optionally with the delivery technique.
#[derive(Debug, Clone, Copy)]
pub struct PhaseArg {
    /// The validated phase.
    pub phase: Phase,
    /// The technique given after a colon, if any.
    pub technique: Option<Technique>,
}

/// Techniques a `--phase` may name after a colon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Technique {
    /// Three-dimensional conformal radiotherapy.
    ThreeDCrt,
    /// Intensity-modulated radiotherapy (also VMAT).
    Imrt,
    /// Stereotactic body radiotherapy.
    Sbrt,
    /// Stereotactic radiotherapy.
    Srt,
    /// Stereotactic radiosurgery.
    Srs,
    /// Brachytherapy.
    Brachytherapy,
}

impl Technique {
    const NAMES: [(&'static str, Technique); 7] = [
        ("3dcrt", Technique::ThreeDCrt),
        ("imrt", Technique::Imrt),
        ("vmat", Technique::Imrt),
        ("sbrt", Technique::Sbrt),
        ("srt", Technique::Srt),
        ("srs", Technique::Srs),
        ("brachy", Technique::Brachytherapy),
    ];

    /// How the regimen classifier sees this technique.
    pub fn delivery(self) -> Delivery {
        match self {
            Technique::ThreeDCrt | Technique::Imrt => Delivery::ExternalBeam,
            Technique::Sbrt | Technique::Srt | Technique::Srs => Delivery::Stereotactic,
            Technique::Brachytherapy => Delivery::Brachytherapy,
        }
    }

    /// The name used on the command line and in output.
    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, technique)| *technique == self)
            .map(|(name, _)| *name)
            .unwrap_or("other")
    }
}

/// Parses `DxN` or `DxN:TECHNIQUE`, e.g. `4x10`, `7x3:sbrt`.
pub fn phase(text: &str) -> Result<PhaseArg, String> {
    let expected = "expected DOSExFRACTIONS[:TECHNIQUE] such as 4x10 or 7x3:sbrt (dose per fraction in Gy × number of fractions)";
    let (dose_fractions, technique) = match text.split_once(':') {
        Some((left, name)) => (left, Some(technique(name)?)),
        None => (text, None),
    };
    let (dose, fractions) = dose_fractions
        .split_once(['x', 'X', '×'])
        .ok_or_else(|| format!("{expected}, got {text:?}"))?;
    let dose_per_fraction_gy: f64 = dose
        .trim()
        .parse()
        .map_err(|_| format!("dose per fraction: {expected}, got {dose:?} in {text:?}"))?;
    let n_fractions: u32 = fractions
        .trim()
        .parse()
        .map_err(|_| format!("number of fractions: {expected}, got {fractions:?} in {text:?}"))?;
    let phase = Phase::new(dose_per_fraction_gy, n_fractions).map_err(|e| e.to_string())?;
    Ok(PhaseArg { phase, technique })
}

fn technique(name: &str) -> Result<Technique, String> {
    Technique::NAMES
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(name))
        .map(|(_, technique)| *technique)
        .ok_or_else(|| {
            let known: Vec<&str> = Technique::NAMES.iter().map(|(n, _)| *n).collect();
            format!(
                "technique: expected one of {}, got {name:?}",
                known.join(", ")
            )
        })
}

/// Parses an α/β in Gy: a finite number above zero.
pub fn alpha_beta(text: &str) -> Result<AlphaBeta, String> {
    let gy: f64 = text
        .parse()
        .map_err(|_| format!("expected a number of Gy above 0, got {text:?}"))?;
    AlphaBeta::new(gy).map_err(|e| e.to_string())
}

/// The α/β of a command: given directly, or taken from the tissue table.
#[derive(clap::Args, Clone, Copy)]
pub struct AlphaBetaArgs {
    /// α/β of the tissue in Gy.
    #[arg(long, value_name = "GY", value_parser = alpha_beta, allow_hyphen_values = true, required_unless_present = "tissue", conflicts_with = "tissue")]
    pub alpha_beta: Option<AlphaBeta>,

    /// Take α/β (and repopulation parameters) from the tissue table; `oncourse tissues` lists them.
    #[arg(long, value_name = "ID", value_parser = tissue)]
    pub tissue: Option<&'static Tissue>,
}

impl AlphaBetaArgs {
    /// The α/β to use: the one given, else the tissue's.
    pub fn resolve(&self) -> anyhow::Result<AlphaBeta> {
        match (self.alpha_beta, self.tissue) {
            (Some(alpha_beta), _) => Ok(alpha_beta),
            (None, Some(tissue)) => Ok(tissue.alpha_beta),
            (None, None) => anyhow::bail!("--alpha-beta or --tissue: one of them is needed"),
        }
    }
}

/// Parses a tissue id of the table.
pub fn tissue(text: &str) -> Result<&'static Tissue, String> {
    tissues::get(text).map_err(|e| e.to_string())
}

/// Parses a dose in Gy: a finite number of at least zero.
pub fn dose_gy(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(gy) if gy.is_finite() && gy >= 0.0 => Ok(gy),
        _ => Err(format!("expected a dose of at least 0 Gy, got {text:?}")),
    }
}

/// Parses a positive dose in Gy.
pub fn positive_dose_gy(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(gy) if gy.is_finite() && gy > 0.0 => Ok(gy),
        _ => Err(format!("expected a dose above 0 Gy, got {text:?}")),
    }
}

/// Parses a whole number of fractions, at least one.
pub fn fractions(text: &str) -> Result<u32, String> {
    match text.parse::<u32>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!(
            "expected a whole number of fractions of at least 1, got {text:?}"
        )),
    }
}

/// Prints a value as pretty JSON on stdout.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", serde_json::to_string_pretty(value)?)?;
    Ok(())
}

//! The dose-modification protocols shipped with oncourse, embedded in the binary so that a
//! server evaluates them from any working directory.

use oncourse_tox::protocol::{Protocol, parse_protocol};

/// The shipped protocol files: (path in the repository, text).
pub const SHIPPED_PROTOCOL_FILES: [(&str, &str); 2] = [
    (
        "protocols/anlotinib.toml",
        include_str!("../../../protocols/anlotinib.toml"),
    ),
    (
        "protocols/radiation-dermatitis.toml",
        include_str!("../../../protocols/radiation-dermatitis.toml"),
    ),
];

/// The shipped protocols, parsed. They are validated by this crate's tests, so a failure here
/// is a bug in the build, reported with every problem of the file.
pub fn shipped_protocols() -> Vec<Protocol> {
    SHIPPED_PROTOCOL_FILES
        .iter()
        .map(|(path, text)| {
            parse_protocol(path, text).unwrap_or_else(|errors| {
                panic!("the shipped protocol {path} is invalid:\n{errors}")
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_protocols_parse() {
        let ids: Vec<String> = shipped_protocols().into_iter().map(|p| p.id).collect();
        assert_eq!(ids, ["anlotinib", "radiation-dermatitis"]);
    }
}

//! Linear-quadratic radiobiology for oncourse: BED, EQD2 and EQDx for single phases and whole
//! courses, the overall-treatment-time correction, the LQ-L model, inverse solves, re-irradiation
//! headroom, fractionation-regime classification and the tissue parameter table.
//!
//! This crate is pure: it does no IO and knows nothing of files, SQL or HTTP.

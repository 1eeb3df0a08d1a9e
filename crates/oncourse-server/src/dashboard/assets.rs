//! Static files compiled into the binary: the style sheet and htmx (no CDN, no remote asset).

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;

/// htmx 2.0.11 (npm `htmx.org`, 0BSD licence in `assets/htmx-LICENSE.txt`; see `assets/README.md`).
const HTMX: &str = include_str!("../../assets/htmx.min.js");

/// The dashboard's own rules, after the case report's (whose tables and charts it embeds).
const DASHBOARD_STYLE: &str = include_str!("../../assets/dashboard.css");

pub async fn style() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "no-cache"),
        ],
        format!("{}\n{DASHBOARD_STYLE}", oncourse_report::case_report::STYLE),
    )
}

pub async fn htmx() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (CACHE_CONTROL, "max-age=86400"),
        ],
        HTMX,
    )
}

//! Benchmarks of oncourse. The divan benchmarks are in `benches/`; the peer comparisons
//! (oncourse against lifelines, dicompyler-core, …) are scripts in `bench/<topic>/`.

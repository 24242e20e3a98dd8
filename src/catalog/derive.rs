//! Status, promise, risk and target derivation (SPEC §5).

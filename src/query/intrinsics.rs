//! Stand-in until the intrinsic functions module lands.

//! VRRP packet (being built; see the crate root).

//! VRRP instance (being built; see the crate root).

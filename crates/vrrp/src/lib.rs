//! VRRP for keepalived-rs: packets ([`packet`]), the sans-IO instance state machine
//! ([`instance`]) and the socket adapters ([`network`]). Used by the VRRP child ([`daemon`]).

pub mod daemon;
pub mod events;
pub mod instance;
pub mod network;
pub mod packet;
pub mod routes;
pub mod vmac;

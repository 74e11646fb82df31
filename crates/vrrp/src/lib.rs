//! VRRP for keepalived-rs: packets ([`packet`]), the sans-IO instance state machine
//! ([`instance`]) and the socket adapters ([`network`]). Used by the VRRP child ([`daemon`]).

pub mod daemon;
pub mod events;
pub mod instance;
pub mod network;
pub mod notify;
pub mod packet;
pub mod sync;
pub mod synctrack;

pub mod process;
pub mod track;
pub mod tracker;

pub mod standin;

pub mod oldcsum;
pub mod promote;
pub mod routes;
pub mod rxbuf;
pub mod rxlog;
pub mod unicast;
pub mod vmac;

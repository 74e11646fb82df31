//! Helpers shared by the end-to-end tests: locating the binary, network namespaces that
//! clean up after themselves, running keepalived and keepalived-rs side by side.

//! The parent's copy of the running configuration, kept encoded (the IPC's bincode) between
//! the moments it is needed: each child start and each reload decode it for the message.
//! Called by [`crate::parent`]. The typed model of 1,000 `vrrp_instance`s is about 1.7 MB
//! of heap; its encoding a fraction of that, and the parent otherwise reads only the few
//! `global_defs` settings kept here beside it.

use keepalived_config::Config;
use keepalived_ipc::codec::{decode, encode, CodecError};
use log::warn;

use crate::child::Role;
use crate::sched::ChildSched;

#[derive(Debug)]
enum Form {
    Encoded(Vec<u8>),
    /// A configuration the codec refused (larger than an IPC message can be): the child
    /// start will report the same error; kept typed so nothing is lost here.
    Typed(Box<Config>),
}

#[derive(Debug)]
pub struct StoredConfig {
    form: Form,
    vrrp_sched: ChildSched,
    checker_sched: ChildSched,
}

impl StoredConfig {
    pub fn new(config: &Config) -> Self {
        let vrrp_sched = ChildSched::from_config(&config.global, Role::Vrrp);
        let checker_sched = ChildSched::from_config(&config.global, Role::Checker);
        let form = match encode(config) {
            Ok(mut bytes) => {
                bytes.shrink_to_fit();
                Form::Encoded(bytes)
            }
            Err(e) => {
                warn!("keeping the configuration unencoded: {e}");
                Form::Typed(Box::new(config.clone()))
            }
        };
        StoredConfig {
            form,
            vrrp_sched,
            checker_sched,
        }
    }

    /// The configuration, decoded afresh (the caller sends it and drops it).
    pub fn config(&self) -> Result<Config, CodecError> {
        match &self.form {
            Form::Encoded(b) => decode(b),
            Form::Typed(c) => Ok((**c).clone()),
        }
    }

    pub fn sched(&self, role: Role) -> &ChildSched {
        match role {
            Role::Vrrp => &self.vrrp_sched,
            Role::Checker => &self.checker_sched,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_keeps_the_scheduling() {
        let mut c = Config::default();
        c.global
            .other
            .insert("vrrp_rt_priority".into(), vec!["20".into()]);
        c.global.router_id = Some("r1".into());
        let s = StoredConfig::new(&c);
        assert!(matches!(s.form, Form::Encoded(_)));
        assert_eq!(s.config().unwrap(), c);
        assert_eq!(s.sched(Role::Vrrp).rt_priority, Some(20));
        assert!(s.sched(Role::Checker).is_empty());
    }
}

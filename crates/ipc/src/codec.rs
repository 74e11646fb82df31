//! The one place that knows the wire encoding (bincode 2, standard config, size limit);
//! called by `Channel` and by fuzz targets through [`decode`].
//!
//! Swapping bincode for another format means changing this file only.

use bincode::config::{Configuration, Limit, LittleEndian, Varint};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Largest encoded message, in bytes. Also bounds every length the decoder believes before
/// it allocates, so 8 hostile bytes cannot make us reserve gigabytes.
pub const MAX_MESSAGE_SIZE: usize = 4 << 20;

type WireConfig = Configuration<LittleEndian, Varint, Limit<MAX_MESSAGE_SIZE>>;

fn config() -> WireConfig {
    bincode::config::standard().with_limit::<MAX_MESSAGE_SIZE>()
}

#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    #[error("encoding a message: {0}")]
    Encode(#[source] bincode::error::EncodeError),
    #[error("decoding a message: {0}")]
    Decode(#[source] bincode::error::DecodeError),
    #[error("message of {len} bytes exceeds the limit of {limit}")]
    TooLarge { len: usize, limit: usize },
    #[error("message has {extra} bytes after its end")]
    TrailingBytes { extra: usize },
}

/// Encodes `msg`; fails if the result would exceed [`MAX_MESSAGE_SIZE`].
pub fn encode<T: Serialize + ?Sized>(msg: &T) -> Result<Vec<u8>, CodecError> {
    // Configuration locations name each file once per message (see `Loc`'s serde).
    let _files = keepalived_config::diag::file_table_scope();
    let bytes = bincode::serde::encode_to_vec(msg, config()).map_err(CodecError::Encode)?;
    if bytes.len() > MAX_MESSAGE_SIZE {
        return Err(CodecError::TooLarge {
            len: bytes.len(),
            limit: MAX_MESSAGE_SIZE,
        });
    }
    Ok(bytes)
}

/// Decodes exactly one `T` from all of `bytes`. Never panics, whatever the input: this is
/// the function a fuzz target drives.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError> {
    let (value, used) = decode_prefix(bytes)?;
    if used != bytes.len() {
        return Err(CodecError::TrailingBytes {
            extra: bytes.len() - used,
        });
    }
    Ok(value)
}

/// Decodes one `T` from the start of `bytes` and says how many bytes it used.
pub fn decode_prefix<T: DeserializeOwned>(bytes: &[u8]) -> Result<(T, usize), CodecError> {
    if bytes.len() > MAX_MESSAGE_SIZE {
        return Err(CodecError::TooLarge {
            len: bytes.len(),
            limit: MAX_MESSAGE_SIZE,
        });
    }
    let _files = keepalived_config::diag::file_table_scope();
    bincode::serde::decode_from_slice(bytes, config()).map_err(CodecError::Decode)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::*;

    fn samples() -> Vec<ParentToVrrp> {
        vec![
            ParentToVrrp::Start {
                config: VersionedConfig::new(
                    7,
                    Config {
                        source: "/etc/keepalived/keepalived.conf".into(),
                        ..Config::default()
                    },
                ),
                restore: vec![InstanceState {
                    name: "VI_1".into(),
                    vrid: 51,
                    state: VrrpState::Master,
                }],
            },
            ParentToVrrp::Reload {
                config: VersionedConfig::new(8, Config::default()),
            },
            ParentToVrrp::Dump(DumpKind::Json),
            ParentToVrrp::PeerLink,
            ParentToVrrp::Shutdown,
        ]
    }

    #[test]
    fn roundtrip_every_direction() {
        for m in samples() {
            assert_eq!(decode::<ParentToVrrp>(&encode(&m).unwrap()).unwrap(), m);
        }
        let m = CheckToParent::HealthReport(RealServerHealth {
            virtual_server: "[10.0.0.1]:tcp:80".into(),
            real_server: "[192.168.1.10]:tcp:80".into(),
            alive: false,
            weight: -3,
        });
        assert_eq!(decode::<CheckToParent>(&encode(&m).unwrap()).unwrap(), m);
        let m = VrrpToParent::ReloadFailed {
            generation: 2,
            errors: vec!["x:1: bad".into()],
        };
        assert_eq!(decode::<VrrpToParent>(&encode(&m).unwrap()).unwrap(), m);
        let m = CheckToParent::Dump {
            kind: DumpKind::Json,
            body: "{}".into(),
        };
        assert_eq!(decode::<CheckToParent>(&encode(&m).unwrap()).unwrap(), m);
        let m = CheckToVrrp::VirtualServerHealth {
            virtual_server: "vs".into(),
            up: true,
        };
        assert_eq!(decode::<CheckToVrrp>(&encode(&m).unwrap()).unwrap(), m);
        let m = VrrpToCheck::StateReport(InstanceState {
            name: "a".into(),
            vrid: 1,
            state: VrrpState::Fault,
        });
        assert_eq!(decode::<VrrpToCheck>(&encode(&m).unwrap()).unwrap(), m);
        let m = ParentToCheck::Start {
            config: VersionedConfig::new(1, Config::default()),
            restore: vec![],
        };
        assert_eq!(decode::<ParentToCheck>(&encode(&m).unwrap()).unwrap(), m);
    }

    #[test]
    fn locations_name_each_file_once_per_message() {
        use keepalived_config::diag::Loc;
        let locs: Vec<Loc> = (0..100)
            .map(|i| {
                Loc::new(
                    if i % 2 == 0 {
                        "/etc/a.conf"
                    } else {
                        "/etc/b.conf"
                    },
                    i,
                )
            })
            .collect();
        let bytes = encode(&locs).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert_eq!(text.matches("/etc/a.conf").count(), 1);
        assert_eq!(text.matches("/etc/b.conf").count(), 1);
        let back: Vec<Loc> = decode(&bytes).unwrap();
        assert_eq!(back, locs);
        assert!(
            std::sync::Arc::ptr_eq(&back[0].file, &back[98].file),
            "decoded locations share one name per file"
        );
        // Each message has its own table: a second one names its files again.
        assert_eq!(encode(&locs).unwrap(), bytes);
        // A reference to a file the message never named is an error, not a panic.
        assert_eq!(
            encode(&vec![Loc::new("x", 1)]).unwrap(),
            [1, 0, 1, 1, b'x', 1]
        );
        // One location: file 0, no name (None), line 1.
        let bad = [1u8, 0, 0, 1];
        assert!(matches!(
            decode::<Vec<Loc>>(&bad),
            Err(CodecError::Decode(_))
        ));
    }

    #[test]
    fn trailing_bytes_are_an_error() {
        let mut b = encode(&ParentToVrrp::Shutdown).unwrap();
        b.push(0);
        assert!(matches!(
            decode::<ParentToVrrp>(&b),
            Err(CodecError::TrailingBytes { extra: 1 })
        ));
    }

    #[test]
    fn hostile_length_does_not_allocate() {
        // Variant 0 (Start), generation 1, then a u64 varint length claiming 2^60 bytes.
        let mut b = vec![0u8, 1, 0xfd];
        b.extend_from_slice(&(1u64 << 60).to_le_bytes());
        assert!(matches!(
            decode::<ParentToVrrp>(&b),
            Err(CodecError::Decode(_))
        ));
    }

    #[test]
    fn oversize_encode_is_refused() {
        let big = VersionedConfig::new(
            0,
            Config {
                source: "x".repeat(MAX_MESSAGE_SIZE),
                ..Config::default()
            },
        );
        assert!(matches!(encode(&big), Err(CodecError::TooLarge { .. })));
    }

    /// A poor man's fuzz run: every truncation and bit flip of real messages, plus
    /// pseudo-random buffers, must decode to a value or an error, never a panic.
    #[test]
    fn arbitrary_bytes_never_panic() {
        for m in samples() {
            let b = encode(&m).unwrap();
            for cut in 0..b.len() {
                let _ = decode::<ParentToVrrp>(&b[..cut]);
            }
            for i in 0..b.len() * 8 {
                let mut f = b.clone();
                f[i / 8] ^= 1 << (i % 8);
                let _ = decode::<ParentToVrrp>(&f);
            }
        }
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 64) as usize;
            let buf: Vec<u8> = (0..len)
                .map(|i| (x >> (i % 8 * 8)) as u8 ^ i as u8)
                .collect();
            let _ = decode::<ParentToVrrp>(&buf);
            let _ = decode::<CheckToParent>(&buf);
            let _ = decode::<Hello>(&buf);
        }
    }
}

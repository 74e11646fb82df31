//! The rustls client configuration of SSL_GET. Used by `runner` to wrap a connected TCP
//! stream in a `rustls::ClientConnection` (itself sans-IO: `read_tls`/`write_tls`).
//!
//! keepalived's SSL_GET does not verify the server certificate (it calls
//! `SSL_CTX_new` without `SSL_CTX_set_verify`, so OpenSSL's default SSL_VERIFY_NONE
//! applies): a real server with a self-signed or expired certificate is healthy. We match
//! that with [`AcceptAnyCert`]. Handshake signatures are still checked, so the peer must
//! hold the key of the certificate it presents.
//!
//! The global `SSL { certificate key }` block gives the client certificate sent to real
//! servers that ask for one ([`ClientCert`]); `ca` is only read by keepalived to build its
//! context (it does not verify servers either), and `password` (an encrypted key) is not
//! supported: rustls reads unencrypted PEM keys only.

use std::path::PathBuf;

use std::net::IpAddr;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, ClientConnection, DigitallySignedStruct, SignatureScheme};

/// Accepts any server certificate chain, on purpose: see the module comment. Do not
/// reuse this verifier for anything that needs to authenticate a peer.
#[derive(Debug)]
pub struct AcceptAnyCert(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAnyCert {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// Client configs for SSL_GET: one with SNI, one without (rustls sets SNI per config).
#[derive(Debug, Clone)]
pub struct TlsClient {
    with_sni: Arc<ClientConfig>,
    without_sni: Arc<ClientConfig>,
}

/// The client certificate of the global `SSL {}` block: PEM files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientCert {
    pub certificate: PathBuf,
    pub key: PathBuf,
}

impl ClientCert {
    fn load(
        &self,
    ) -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>), rustls::Error> {
        let bad = |what: &str, p: &PathBuf, e: &dyn std::fmt::Display| {
            rustls::Error::General(format!("SSL {what} {}: {e}", p.display()))
        };
        let certs = CertificateDer::pem_file_iter(&self.certificate)
            .map_err(|e| bad("certificate", &self.certificate, &e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| bad("certificate", &self.certificate, &e))?;
        if certs.is_empty() {
            return Err(bad(
                "certificate",
                &self.certificate,
                &"no certificate in the file",
            ));
        }
        let key = PrivateKeyDer::from_pem_file(&self.key).map_err(|e| bad("key", &self.key, &e))?;
        Ok((certs, key))
    }
}

impl TlsClient {
    pub fn new() -> Result<TlsClient, rustls::Error> {
        TlsClient::with_client_cert(None)
    }

    /// As `new`, presenting `cert` to servers that request a client certificate.
    pub fn with_client_cert(cert: Option<&ClientCert>) -> Result<TlsClient, rustls::Error> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let loaded = cert.map(ClientCert::load).transpose()?;
        let make = |sni: bool| -> Result<Arc<ClientConfig>, rustls::Error> {
            let b = ClientConfig::builder_with_provider(provider.clone())
                .with_safe_default_protocol_versions()?
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AcceptAnyCert(provider.clone())));
            let mut c = match &loaded {
                Some((certs, key)) => b.with_client_auth_cert(certs.clone(), key.clone_key())?,
                None => b.with_no_client_auth(),
            };
            c.enable_sni = sni;
            Ok(Arc::new(c))
        };
        Ok(TlsClient {
            with_sni: make(true)?,
            without_sni: make(false)?,
        })
    }

    /// A client session to `ip`, sending `sni` as the server name when given.
    pub fn connect(
        &self,
        ip: IpAddr,
        sni: Option<&str>,
    ) -> Result<ClientConnection, rustls::Error> {
        let named = sni.and_then(|s| ServerName::try_from(s.to_string()).ok());
        match named {
            Some(name) => ClientConnection::new(self.with_sni.clone(), name),
            None => {
                ClientConnection::new(self.without_sni.clone(), ServerName::IpAddress(ip.into()))
            }
        }
    }
}

//! HTTPS for the simulator, in test builds only: a server certificate for 127.0.0.1 signed by a
//! test CA that only test builds of the client trust ([`crate::api::trust_test_ca`]), and the
//! faults only TLS has (a close without `close_notify`, a refused handshake).

use std::io;
use std::sync::Arc;

use tokio::net::TcpStream;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::server::TlsStream;

use super::http::Conn;

/// The test CA's certificate (public; its private key was thrown away after signing).
pub const TEST_CA_PEM: &[u8] = include_bytes!("../../tests/tls/ca.pem");
const SERVER_CERT_PEM: &[u8] = include_bytes!("../../tests/tls/server.pem");
const SERVER_KEY_PEM: &[u8] = include_bytes!("../../tests/tls/server.key");

fn invalid(e: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e.to_string())
}

/// The simulator's TLS server side.
pub(crate) fn acceptor() -> io::Result<TlsAcceptor> {
    let certs = CertificateDer::pem_slice_iter(SERVER_CERT_PEM)
        .collect::<Result<Vec<_>, _>>()
        .map_err(invalid)?;
    let key = PrivateKeyDer::from_pem_slice(SERVER_KEY_PEM).map_err(invalid)?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(invalid)?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(invalid)?;
    Ok(TlsAcceptor::from(Arc::new(config)))
}

impl Conn for TlsStream<TcpStream> {
    fn reset(self) {
        let (tcp, _) = self.into_inner();
        tcp.reset();
    }
}

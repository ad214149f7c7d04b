//! The TLS client configuration: which servers the plug-in trusts.
//!
//! WasmEdge's plug-in checks no certificate at all. Here the server's certificate must chain to
//! a trusted root unless `--httpsreq-insecure` is given. The roots are the system's (read by
//! `rustls-native-certs`, which also honours `SSL_CERT_FILE` and `SSL_CERT_DIR`), or, when that
//! finds none, Mozilla's (`webpki-roots`), plus the certificates of `--httpsreq-ca-file`.

use std::sync::{Arc, OnceLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{WebPkiSupportedAlgorithms, ring};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

/// Where the trusted roots come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trust {
    /// Check no certificate (WasmEdge's behaviour).
    pub insecure: bool,
    /// A PEM file of more roots to trust; empty for none.
    pub ca_file: String,
}

/// The configuration for `trust`, built once per process (the options are fixed once the
/// runtime has parsed its command line). A CA file that cannot be read is an error each time.
pub fn config(trust: &Trust) -> Result<Arc<ClientConfig>, String> {
    static CONFIG: OnceLock<Result<Arc<ClientConfig>, String>> = OnceLock::new();
    CONFIG.get_or_init(|| build(trust)).clone()
}

/// Builds the configuration for `trust`.
pub fn build(trust: &Trust) -> Result<Arc<ClientConfig>, String> {
    #[expect(
        deprecated,
        reason = "ring is the provider without C build steps (no aws-lc); it lacks only the \
                  post-quantum key exchange"
    )]
    let provider = Arc::new(ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?;
    let config = if trust.insecure {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AnyCertificate(
                provider.signature_verification_algorithms,
            )))
            .with_no_client_auth()
    } else {
        builder
            .with_root_certificates(roots(&trust.ca_file)?)
            .with_no_client_auth()
    };
    Ok(Arc::new(config))
}

/// The system's roots (Mozilla's when the system has none) and those in `ca_file`.
fn roots(ca_file: &str) -> Result<RootCertStore, String> {
    let mut store = RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    let (added, _) = store.add_parsable_certificates(native.certs);
    if added == 0 {
        store.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    }
    if !ca_file.is_empty() {
        let certs = CertificateDer::pem_file_iter(ca_file)
            .and_then(Iterator::collect::<Result<Vec<_>, _>>)
            .map_err(|e| format!("cannot read the CA file {ca_file}: {e}"))?;
        if certs.is_empty() {
            return Err(format!("the CA file {ca_file} holds no certificate"));
        }
        for cert in certs {
            store
                .add(cert)
                .map_err(|e| format!("a certificate in {ca_file} is not a CA: {e}"))?;
        }
    }
    Ok(store)
}

/// `--httpsreq-insecure`: any certificate is accepted (the handshake's signatures are still
/// checked, so the peer holds the key of the certificate it sent).
#[derive(Debug)]
struct AnyCertificate(WebPkiSupportedAlgorithms);

impl ServerCertVerifier for AnyCertificate {
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
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_ca_file_is_an_error_and_insecure_needs_none() {
        let missing = Trust {
            insecure: false,
            ca_file: "/nonexistent/ca.pem".into(),
        };
        assert!(build(&missing).unwrap_err().contains("/nonexistent/ca.pem"));
        let insecure = Trust {
            insecure: true,
            ca_file: String::new(),
        };
        assert!(build(&insecure).is_ok());
    }

    #[test]
    fn the_default_trusts_some_roots() {
        assert!(!roots("").unwrap().is_empty());
    }
}

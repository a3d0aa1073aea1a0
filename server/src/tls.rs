//! The TLS side: a self-signed certificate for `127.0.0.1` and `localhost`,
//! made at start-up, and the rustls acceptor that serves it.

use std::path::Path;
use std::sync::Arc;

use tokio_rustls::rustls::crypto::ring::default_provider;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;

/// A freshly generated certificate and what clients need to trust it.
pub struct Identity {
    pub acceptor: TlsAcceptor,
    /// The certificate, PEM.
    pub cert_pem: String,
    /// base64(sha256(SubjectPublicKeyInfo)): the value Chromium's
    /// `--ignore-certificate-errors-spki-list` takes.
    pub spki_sha256: String,
}

/// Generates a self-signed certificate (SANs `127.0.0.1`, `localhost`) and a
/// rustls acceptor for it (TLS 1.2 and 1.3, ALPN `http/1.1`, ring crypto).
pub fn identity() -> Result<Identity, String> {
    use rcgen::PublicKeyData as _;
    let ck = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
        .map_err(|e| format!("certificate: {e}"))?;
    let spki = ck.signing_key.subject_public_key_info();
    let digest = ring::digest::digest(&ring::digest::SHA256, &spki);
    let cert_der: CertificateDer<'static> = ck.cert.der().clone();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(ck.signing_key.serialize_der()));
    let mut config = ServerConfig::builder_with_provider(Arc::new(default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("tls config: {e}"))?
        .with_no_client_auth()
        .with_single_cert(vec![cert_der], key)
        .map_err(|e| format!("tls config: {e}"))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Identity {
        acceptor: TlsAcceptor::from(Arc::new(config)),
        cert_pem: ck.cert.pem(),
        spki_sha256: base64(digest.as_ref()),
    })
}

/// Writes `cert.pem` and `spki.txt` (the SPKI hash and a newline) into `dir`,
/// creating it; each file via a temp file and a rename.
pub fn write_out(dir: &Path, id: &Identity) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    write_atomic(&dir.join("cert.pem"), id.cert_pem.as_bytes())?;
    write_atomic(&dir.join("spki.txt"), format!("{}\n", id.spki_sha256).as_bytes())
}

fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

/// Standard base64 with padding.
pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(A[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_vectors() {
        for (input, want) in
            [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("foobar", "Zm9vYmFy")]
        {
            assert_eq!(base64(input.as_bytes()), want);
        }
    }

    #[test]
    fn identity_is_fresh_and_hashed() {
        let a = identity().expect("identity");
        let b = identity().expect("identity");
        assert!(a.cert_pem.starts_with("-----BEGIN CERTIFICATE-----"));
        assert_eq!(a.spki_sha256.len(), 44);
        assert_ne!(a.spki_sha256, b.spki_sha256, "a new key every start");
    }
}

//! Close codes and reasons: validation of what a user asks for, and the reason table that
//! fills an empty reason (contract A2).

/// The longest close reason a WebSocket accepts, in UTF-8 bytes (RFC 6455 §5.5: 125 bytes of
/// control-frame payload minus the 2-byte code).
pub const MAX_REASON_BYTES: usize = 123;

/// Code used when the client asks for a close without one, and reported for a normal close.
pub const NORMAL: u16 = 1000;
/// Code reported when a connection ends without a close frame (failure, timeout, drop).
pub const ABNORMAL: u16 = 1006;

/// A validated close request: a code the browser accepts and a reason of at most 123 bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloseRequest {
    /// 1000 or 3000–4999.
    pub code: u16,
    /// Possibly empty; at most [`MAX_REASON_BYTES`] UTF-8 bytes.
    pub reason: String,
}

/// Why a close request was refused. The socket stays open when this happens.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum CloseError {
    /// `code` is not 1000 and not in 3000–4999 (browsers refuse every other code), or it is
    /// not an integer.
    InvalidCode(f64),
    /// `reason` is longer than [`MAX_REASON_BYTES`] bytes of UTF-8.
    ReasonTooLong(usize),
}

/// Checks a user's `close({code, reason})`.
///
/// `code` defaults to 1000 and `reason` to the empty string.
///
/// # Errors
/// [`CloseError::InvalidCode`] for a code other than 1000 or 3000–4999 (including fractions,
/// NaN and infinities), [`CloseError::ReasonTooLong`] for a reason over 123 UTF-8 bytes.
pub fn validate_close(code: Option<f64>, reason: Option<String>) -> Result<CloseRequest, CloseError> {
    let code = match code {
        None => NORMAL,
        Some(c) => {
            let ok = c.fract() == 0.0 && (c == 1000.0 || (3000.0..=4999.0).contains(&c));
            if !ok {
                return Err(CloseError::InvalidCode(c));
            }
            c as u16
        }
    };
    let reason = reason.unwrap_or_default();
    if reason.len() > MAX_REASON_BYTES {
        return Err(CloseError::ReasonTooLong(reason.len()));
    }
    Ok(CloseRequest { code, reason })
}

/// The text reported for a close code whose reason is empty, or `""` for codes the table
/// does not name.
pub fn default_reason(code: u16) -> &'static str {
    match code {
        1000 => "normal closure",
        1001 => "going away",
        1002 => "protocol error",
        1003 => "unsupported data",
        1005 => "no status rcvd",
        1006 => "abnormal closure",
        1007 => "invalid frame payload data",
        1008 => "policy violation",
        1009 => "message too big",
        1010 => "mandatory ext.",
        1011 => "internal server error",
        1015 => "tls handshake",
        _ => "",
    }
}

/// `reason` itself, or the table's text for `code` when `reason` is empty.
pub fn fill_reason(code: u16, reason: String) -> String {
    if reason.is_empty() {
        default_reason(code).into()
    } else {
        reason
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert_eq!(validate_close(None, None).map(|r| r.code), Ok(1000));
        for ok in [1000.0, 3000.0, 4000.0, 4999.0] {
            assert!(validate_close(Some(ok), None).is_ok(), "{ok}");
        }
        for bad in [999.0, 1001.0, 1005.0, 2999.0, 5000.0, 3000.5, f64::NAN, f64::INFINITY, -1.0] {
            assert!(matches!(validate_close(Some(bad), None), Err(CloseError::InvalidCode(_))), "{bad}");
        }
    }

    #[test]
    fn reasons() {
        let r123 = "a".repeat(123);
        assert!(validate_close(None, Some(r123)).is_ok());
        assert_eq!(validate_close(None, Some("a".repeat(124))), Err(CloseError::ReasonTooLong(124)));
        // 42 three-byte characters = 126 bytes, though only 42 chars.
        assert_eq!(validate_close(None, Some("好".repeat(42))), Err(CloseError::ReasonTooLong(126)));
        assert_eq!(fill_reason(1000, String::new()), "normal closure");
        assert_eq!(fill_reason(1006, String::new()), "abnormal closure");
        assert_eq!(fill_reason(4001, "bye".into()), "bye");
        assert_eq!(fill_reason(4001, String::new()), "");
        assert_eq!(default_reason(1015), "tls handshake");
    }
}

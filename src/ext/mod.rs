//! The Microsoft extension functions (`mswsock.h`), which programs obtain through
//! `WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER)` with one of the `WSAID_*` GUIDs.

/// A GUID as Windows lays it out in memory (`Data1`..`Data4`, little-endian fields).
pub type Guid = [u8; 16];

/// The function a `WSAID_*` GUID names, as a pointer for the caller's output buffer; `None`
/// for a GUID this library does not provide (`WSAIoctl` then fails with `WSAEINVAL`, as
/// Windows does for an unknown GUID).
pub fn lookup(guid: &Guid) -> Option<usize> {
    let _ = guid;
    None
}

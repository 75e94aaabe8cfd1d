//! `FormatMessageA`/`FormatMessageW`: the system message table (English texts of the Winsock
//! and common Win32 error codes, as Microsoft documents them) and the insert formatter
//! (`%1`..`%99`, `%1!fmt!`, escapes, line-width handling).

use crate::error::WsaError;
use crate::ffi;

const FORMAT_MESSAGE_ALLOCATE_BUFFER: u32 = 0x100;
const FORMAT_MESSAGE_IGNORE_INSERTS: u32 = 0x200;
const FORMAT_MESSAGE_FROM_STRING: u32 = 0x400;
const FORMAT_MESSAGE_FROM_HMODULE: u32 = 0x800;
const FORMAT_MESSAGE_FROM_SYSTEM: u32 = 0x1000;
const FORMAT_MESSAGE_ARGUMENT_ARRAY: u32 = 0x2000;
const FORMAT_MESSAGE_MAX_WIDTH_MASK: u32 = 0xff;

const ERROR_MR_MID_NOT_FOUND: WsaError = WsaError(317);
const ERROR_RESOURCE_TYPE_NOT_FOUND: WsaError = WsaError(1813);
const ERROR_RESOURCE_LANG_NOT_FOUND: WsaError = WsaError(1815);

/// The system message table: id and English text (FormatMessage appends "\r\n").
static MESSAGES: &[(u32, &str)] = &[
    (0, "The operation completed successfully."),
    (1, "Incorrect function."),
    (2, "The system cannot find the file specified."),
    (3, "The system cannot find the path specified."),
    (4, "The system cannot open the file."),
    (5, "Access is denied."),
    (6, "The handle is invalid."),
    (8, "Not enough memory resources are available to process this command."),
    (13, "The data is invalid."),
    (14, "Not enough memory resources are available to complete this operation."),
    (21, "The device is not ready."),
    (31, "A device attached to the system is not functioning."),
    (32, "The process cannot access the file because it is being used by another process."),
    (38, "Reached the end of the file."),
    (50, "The request is not supported."),
    (52, "You were not connected because a duplicate name exists on the network. If joining a domain, go to System in Control Panel to change the computer name and try again."),
    (53, "The network path was not found."),
    (54, "The network is busy."),
    (55, "The specified network resource or device is no longer available."),
    (59, "An unexpected network error occurred."),
    (64, "The specified network name is no longer available."),
    (65, "Network access is denied."),
    (67, "The network name cannot be found."),
    (80, "The file exists."),
    (87, "The parameter is incorrect."),
    (109, "The pipe has been ended."),
    (111, "The file name is too long."),
    (112, "There is not enough space on the disk."),
    (120, "This function is not supported on this system."),
    (121, "The semaphore timeout period has expired."),
    (122, "The data area passed to a system call is too small."),
    (123, "The filename, directory name, or volume label syntax is incorrect."),
    (131, "An attempt was made to move the file pointer before the beginning of the file."),
    (156, "The recipient process has refused the signal."),
    (158, "The segment is already unlocked."),
    (170, "The requested resource is in use."),
    (183, "Cannot create a file when that file already exists."),
    (232, "The pipe is being closed."),
    (233, "No process is on the other end of the pipe."),
    (234, "More data is available."),
    (258, "The wait operation timed out."),
    (259, "No more data is available."),
    (267, "The directory name is invalid."),
    (288, "Attempt to release mutex not owned by caller."),
    (298, "Too many posts were made to a semaphore."),
    (317, "The system cannot find message text for message number 0x%1 in the message file for %2."),
    (487, "Attempt to access invalid address."),
    (735, "ERROR_ABANDONED_WAIT_0"),
    (736, "ERROR_ABANDONED_WAIT_63"),
    (995, "The I/O operation has been aborted because of either a thread exit or an application request."),
    (996, "Overlapped I/O event is not in a signaled state."),
    (997, "Overlapped I/O operation is in progress."),
    (998, "Invalid access to memory location."),
    (1004, "Invalid flags."),
    (1062, "The service has not been started."),
    (1168, "Element not found."),
    (1214, "The format of the specified network name is invalid."),
    (1223, "The operation was canceled by the user."),
    (1225, "The remote computer refused the network connection."),
    (1226, "The network connection was gracefully closed."),
    (1227, "The network transport endpoint already has an address associated with it."),
    (1228, "An address has not yet been associated with the network endpoint."),
    (1229, "An operation was attempted on a nonexistent network connection."),
    (1230, "An invalid operation was attempted on an active network connection."),
    (1231, "The network location cannot be reached. For information about network troubleshooting, see Windows Help."),
    (1232, "The network location cannot be reached. For information about network troubleshooting, see Windows Help."),
    (1233, "The network location cannot be reached. For information about network troubleshooting, see Windows Help."),
    (1234, "No service is operating at the destination network endpoint on the remote system."),
    (1235, "The request was aborted."),
    (1236, "The network connection was aborted by the local system."),
    (1238, "A connection to the server could not be made because the limit on the number of concurrent connections for this account has been reached."),
    (1241, "The network address is invalid."),
    (1242, "The service is already registered."),
    (1256, "The remote system is not available. For information about network troubleshooting, see Windows Help."),
    (1359, "An internal error occurred."),
    (1400, "Invalid window handle."),
    (1450, "Insufficient system resources exist to complete the requested service."),
    (1460, "This operation returned because the timeout period expired."),
    (1784, "The supplied user buffer is not valid for the requested operation."),
    (10004, "A blocking operation was interrupted by a call to WSACancelBlockingCall."),
    (10009, "The file handle supplied is not valid."),
    (10013, "An attempt was made to access a socket in a way forbidden by its access permissions."),
    (10014, "The system detected an invalid pointer address in attempting to use a pointer argument in a call."),
    (10022, "An invalid argument was supplied."),
    (10024, "Too many open sockets."),
    (10035, "A non-blocking socket operation could not be completed immediately."),
    (10036, "A blocking operation is currently executing."),
    (10037, "An operation was attempted on a non-blocking socket that already had an operation in progress."),
    (10038, "An operation was attempted on something that is not a socket."),
    (10039, "A required address was omitted from an operation on a socket."),
    (10040, "A message sent on a datagram socket was larger than the internal message buffer or some other network limit, or the buffer used to receive a datagram into was smaller than the datagram itself."),
    (10041, "A protocol was specified in the socket function call that does not support the semantics of the socket type requested."),
    (10042, "An unknown, invalid, or unsupported option or level was specified in a getsockopt or setsockopt call."),
    (10043, "The requested protocol has not been configured into the system, or no implementation for it exists."),
    (10044, "The support for the specified socket type does not exist in this address family."),
    (10045, "The attempted operation is not supported for the type of object referenced."),
    (10046, "The protocol family has not been configured into the system or no implementation for it exists."),
    (10047, "An address incompatible with the requested protocol was used."),
    (10048, "Only one usage of each socket address (protocol/network address/port) is normally permitted."),
    (10049, "The requested address is not valid in its context."),
    (10050, "A socket operation encountered a dead network."),
    (10051, "A socket operation was attempted to an unreachable network."),
    (10052, "The connection has been broken due to keep-alive activity detecting a failure while the operation was in progress."),
    (10053, "An established connection was aborted by the software in your host machine."),
    (10054, "An existing connection was forcibly closed by the remote host."),
    (10055, "An operation on a socket could not be performed because the system lacked sufficient buffer space or because a queue was full."),
    (10056, "A connect request was made on an already connected socket."),
    (10057, "A request to send or receive data was disallowed because the socket is not connected and (when sending on a datagram socket using a sendto call) no address was supplied."),
    (10058, "A request to send or receive data was disallowed because the socket had already been shut down in that direction with a previous shutdown call."),
    (10059, "Too many references to some kernel object."),
    (10060, "A connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed because connected host has failed to respond."),
    (10061, "No connection could be made because the target machine actively refused it."),
    (10062, "Cannot translate name."),
    (10063, "Name component or name was too long."),
    (10064, "A socket operation failed because the destination host was down."),
    (10065, "A socket operation was attempted to an unreachable host."),
    (10066, "Cannot remove a directory that is not empty."),
    (10067, "A Windows Sockets implementation may have a limit on the number of applications that may use it simultaneously."),
    (10068, "Ran out of quota."),
    (10069, "Ran out of disk quota."),
    (10070, "File handle reference is no longer available."),
    (10071, "Item is not available locally."),
    (10091, "WSAStartup cannot function at this time because the underlying system it uses to provide network services is currently unavailable."),
    (10092, "The Windows Sockets version requested is not supported."),
    (10093, "Either the application has not called WSAStartup, or WSAStartup failed."),
    (10101, "Returned by WSARecv or WSARecvFrom to indicate the remote party has initiated a graceful shutdown sequence."),
    (10102, "No more results can be returned by WSALookupServiceNext."),
    (10103, "A call to WSALookupServiceEnd was made while this call was still processing. The call has been canceled."),
    (10104, "The procedure call table is invalid."),
    (10105, "The requested service provider is invalid."),
    (10106, "The requested service provider could not be loaded or initialized."),
    (10107, "A system call has failed."),
    (10108, "No such service is known. The service cannot be found in the specified name space."),
    (10109, "The specified class was not found."),
    (10110, "No more results can be returned by WSALookupServiceNext."),
    (10111, "A call to WSALookupServiceEnd was made while this call was still processing. The call has been canceled."),
    (10112, "A database query failed because it was actively refused."),
    (11001, "No such host is known."),
    (11002, "This is usually a temporary error during hostname resolution and means that the local server did not receive a response from an authoritative server."),
    (11003, "A non-recoverable error occurred during a database lookup."),
    (11004, "The requested name is valid, but no data of the requested type was found."),
    (11005, "At least one reserve has arrived."),
    (11006, "At least one path has arrived."),
    (11007, "There are no senders."),
    (11008, "There are no receivers."),
    (11009, "Reserve has been confirmed."),
    (11010, "Error due to lack of resources."),
    (11011, "Rejected for administrative reasons - bad credentials."),
    (11012, "Unknown or conflicting style."),
    (11013, "Problem with some part of the filterspec or providerspecific buffer in general."),
    (11014, "Problem with some part of the flowspec."),
    (11015, "General QOS error."),
    (11016, "An invalid or unrecognized service type was found in the flowspec."),
    (11017, "An invalid or inconsistent flowspec was found in the QOS structure."),
    (11018, "Invalid QOS provider-specific buffer."),
    (11019, "An invalid QOS filter style was used."),
    (11020, "An invalid QOS filter type was used."),
    (11021, "An incorrect number of QOS FILTERSPECs were specified in the FLOWDESCRIPTOR."),
    (11022, "An object with an invalid ObjectLength field was specified in the QOS provider-specific buffer."),
    (11023, "An incorrect number of flow descriptors was specified in the QOS structure."),
    (11024, "An unrecognized object was found in the QOS provider-specific buffer."),
    (11025, "An invalid policy object was found in the QOS provider-specific buffer."),
    (11026, "An invalid QOS flow descriptor was found in the flow descriptor list."),
    (11027, "An invalid or inconsistent flowspec was found in the QOS provider specific buffer."),
    (11028, "An invalid FILTERSPEC was found in the QOS provider-specific buffer."),
    (11029, "An invalid shape discard mode object was found in the QOS provider specific buffer."),
    (11030, "An invalid shaping rate object was found in the QOS provider-specific buffer."),
    (11031, "A reserved policy element was found in the QOS provider-specific buffer."),
    (11032, "No such host is known securely."),
    (11033, "Name based IPSEC policy could not be added."),
];

/// The system text of message `id`, without the trailing "\r\n".
pub fn system_text(id: u32) -> Option<&'static str> {
    MESSAGES
        .binary_search_by_key(&id, |m| m.0)
        .ok()
        .map(|i| MESSAGES[i].1)
}

/// A text unit of the A (`u8`) or W (`u16`) variant.
trait Unit: Copy + Default {
    fn to_u32(self) -> u32;
    fn ascii(b: u8) -> Self;
    /// Append Rust text.
    fn push_str(out: &mut Vec<Self>, s: &str);
    /// Append a narrow (8-bit) C string.
    fn push_narrow(out: &mut Vec<Self>, s: &[u8]);
    /// Append a wide (UTF-16) C string.
    fn push_wide(out: &mut Vec<Self>, s: &[u16]);
}

impl Unit for u8 {
    fn to_u32(self) -> u32 {
        self as u32
    }
    fn ascii(b: u8) -> u8 {
        b
    }
    fn push_str(out: &mut Vec<u8>, s: &str) {
        out.extend_from_slice(s.as_bytes());
    }
    fn push_narrow(out: &mut Vec<u8>, s: &[u8]) {
        out.extend_from_slice(s);
    }
    fn push_wide(out: &mut Vec<u8>, s: &[u16]) {
        out.extend_from_slice(String::from_utf16_lossy(s).as_bytes());
    }
}

impl Unit for u16 {
    fn to_u32(self) -> u32 {
        self as u32
    }
    fn ascii(b: u8) -> u16 {
        b as u16
    }
    fn push_str(out: &mut Vec<u16>, s: &str) {
        out.extend(s.encode_utf16());
    }
    fn push_narrow(out: &mut Vec<u16>, s: &[u8]) {
        out.extend(String::from_utf8_lossy(s).encode_utf16());
    }
    fn push_wide(out: &mut Vec<u16>, s: &[u16]) {
        out.extend_from_slice(s);
    }
}

/// The System V x86-64 `va_list` object (`__va_list_tag`).
#[repr(C)]
struct VaListTag {
    gp_offset: u32,
    fp_offset: u32,
    overflow_arg_area: *mut u64,
    reg_save_area: *mut u8,
}

/// Where insert values come from: a caller `va_list`, read in order on demand, or an array
/// of `DWORD_PTR`.
enum Args {
    None,
    VaList { tag: *mut VaListTag, read: Vec<u64> },
    Array(*const u64),
}

impl Args {
    /// The value of insert `n` (1-based).
    fn get(&mut self, n: usize) -> ffi::WsResult<u64> {
        match self {
            Args::None => Err(WsaError::ERROR_INVALID_PARAMETER),
            // SAFETY: the caller passed an array holding every insert its template names.
            Args::Array(p) => Ok(unsafe { *p.add(n - 1) }),
            Args::VaList { tag, read } => {
                while read.len() < n {
                    // Every insert is integer class (integers, pointers): FormatMessage has no
                    // floating-point conversions.
                    // SAFETY: `tag` is the caller's live va_list; the caller passed at least
                    // as many arguments as its template names, as FormatMessage requires.
                    let v = unsafe {
                        let t = &mut **tag;
                        if t.gp_offset < 48 {
                            let v = *(t.reg_save_area.add(t.gp_offset as usize) as *const u64);
                            t.gp_offset += 8;
                            v
                        } else {
                            let v = *t.overflow_arg_area;
                            t.overflow_arg_area = t.overflow_arg_area.add(1);
                            v
                        }
                    };
                    read.push(v);
                }
                Ok(read[n - 1])
            }
        }
    }
}

/// A printf-like conversion `!fmt!` applied to one insert.
struct Spec {
    left: bool,
    plus: bool,
    space: bool,
    alt: bool,
    zero: bool,
    width: Option<usize>,
    precision: Option<usize>,
    wide: Option<bool>,
    long64: bool,
    conv: u8,
}

fn parse_spec(fmt: &[u8], args: &mut Args, n: &mut usize) -> ffi::WsResult<Spec> {
    let mut i = 0;
    let mut s = Spec {
        left: false,
        plus: false,
        space: false,
        alt: false,
        zero: false,
        width: None,
        precision: None,
        wide: None,
        long64: false,
        conv: b's',
    };
    while i < fmt.len() {
        match fmt[i] {
            b'-' => s.left = true,
            b'+' => s.plus = true,
            b' ' => s.space = true,
            b'#' => s.alt = true,
            b'0' => s.zero = true,
            _ => break,
        }
        i += 1;
    }
    if fmt.get(i) == Some(&b'*') {
        s.width = Some(args.get(*n)? as u32 as usize);
        *n += 1;
        i += 1;
    } else {
        let st = i;
        while i < fmt.len() && fmt[i].is_ascii_digit() {
            i += 1;
        }
        if i > st {
            s.width = std::str::from_utf8(&fmt[st..i])
                .ok()
                .and_then(|t| t.parse().ok());
        }
    }
    if fmt.get(i) == Some(&b'.') {
        i += 1;
        if fmt.get(i) == Some(&b'*') {
            s.precision = Some(args.get(*n)? as u32 as usize);
            *n += 1;
            i += 1;
        } else {
            let st = i;
            while i < fmt.len() && fmt[i].is_ascii_digit() {
                i += 1;
            }
            s.precision = Some(
                std::str::from_utf8(&fmt[st..i])
                    .ok()
                    .and_then(|t| t.parse().ok())
                    .unwrap_or(0),
            );
        }
    }
    loop {
        let rest = &fmt[i..];
        if rest.starts_with(b"I64") || rest.starts_with(b"ll") {
            s.long64 = true;
            i += if rest[0] == b'I' { 3 } else { 2 };
        } else if rest.starts_with(b"I32") {
            i += 3;
        } else if rest.first() == Some(&b'I') {
            s.long64 = true;
            i += 1;
        } else if rest.first() == Some(&b'l') || rest.first() == Some(&b'w') {
            s.wide = Some(true);
            i += 1;
        } else if rest.first() == Some(&b'h') {
            s.wide = Some(false);
            i += 1;
        } else {
            break;
        }
    }
    match fmt.get(i) {
        Some(&c) if i + 1 == fmt.len() && b"sScCdiuxXop".contains(&c) => s.conv = c,
        _ => return Err(WsaError::ERROR_INVALID_PARAMETER),
    }
    Ok(s)
}

/// Read a NUL-terminated string of `T` from a caller pointer.
///
/// # Safety
/// `p` must be NULL or a NUL-terminated string.
unsafe fn c_units<T: Copy + Default + PartialEq>(p: *const T) -> Vec<T> {
    let mut v = Vec::new();
    if p.is_null() {
        return v;
    }
    let mut i = 0;
    loop {
        // SAFETY: the string is NUL-terminated by the caller's contract.
        let c = unsafe { *p.add(i) };
        if c == T::default() {
            return v;
        }
        v.push(c);
        i += 1;
    }
}

/// Format one insert value with `spec`; `wide_default` is the string width of the variant.
fn format_insert<U: Unit>(out: &mut Vec<U>, spec: &Spec, v: u64, wide_default: bool) {
    let mut body: Vec<U> = Vec::new();
    let mut sign = String::new();
    let numeric = !matches!(spec.conv, b's' | b'S' | b'c' | b'C');
    match spec.conv {
        b's' | b'S' => {
            let wide = spec.wide.unwrap_or(if spec.conv == b's' {
                wide_default
            } else {
                !wide_default
            });
            if v == 0 {
                U::push_str(&mut body, "(null)");
            } else if wide {
                // SAFETY: the insert is a wide C string by the template's contract.
                let s = unsafe { c_units(v as *const u16) };
                U::push_wide(&mut body, &s);
            } else {
                // SAFETY: the insert is a narrow C string by the template's contract.
                let s = unsafe { c_units(v as *const u8) };
                U::push_narrow(&mut body, &s);
            }
            if let Some(p) = spec.precision {
                body.truncate(p);
            }
        }
        b'c' | b'C' => {
            let wide = spec.wide.unwrap_or(if spec.conv == b'c' {
                wide_default
            } else {
                !wide_default
            });
            if wide {
                U::push_wide(&mut body, &[v as u16]);
            } else {
                U::push_narrow(&mut body, &[v as u8]);
            }
        }
        _ => {
            let digits = match spec.conv {
                b'd' | b'i' => {
                    let x = if spec.long64 {
                        v as i64
                    } else {
                        v as u32 as i32 as i64
                    };
                    if x < 0 {
                        sign.push('-');
                    } else if spec.plus {
                        sign.push('+');
                    } else if spec.space {
                        sign.push(' ');
                    }
                    x.unsigned_abs().to_string()
                }
                b'p' => format!("{:016X}", v),
                _ => {
                    let x = if spec.long64 { v } else { v as u32 as u64 };
                    match spec.conv {
                        b'u' => x.to_string(),
                        b'x' => {
                            if spec.alt && x != 0 {
                                sign.push_str("0x");
                            }
                            format!("{:x}", x)
                        }
                        b'X' => {
                            if spec.alt && x != 0 {
                                sign.push_str("0X");
                            }
                            format!("{:X}", x)
                        }
                        _ => {
                            if spec.alt && x != 0 {
                                sign.push('0');
                            }
                            format!("{:o}", x)
                        }
                    }
                }
            };
            let mut d = digits;
            if let Some(p) = spec.precision {
                while d.len() < p {
                    d.insert(0, '0');
                }
            }
            U::push_str(&mut body, &d);
        }
    }
    let mut sign_units: Vec<U> = Vec::new();
    U::push_str(&mut sign_units, &sign);
    let len = body.len() + sign_units.len();
    let pad = spec.width.unwrap_or(0).saturating_sub(len);
    if spec.left {
        out.extend_from_slice(&sign_units);
        out.extend_from_slice(&body);
        out.extend(std::iter::repeat_n(U::ascii(b' '), pad));
    } else if spec.zero && numeric && spec.precision.is_none() {
        out.extend_from_slice(&sign_units);
        out.extend(std::iter::repeat_n(U::ascii(b'0'), pad));
        out.extend_from_slice(&body);
    } else {
        out.extend(std::iter::repeat_n(U::ascii(b' '), pad));
        out.extend_from_slice(&sign_units);
        out.extend_from_slice(&body);
    }
}

fn is(u: impl Unit, c: u8) -> bool {
    u.to_u32() == c as u32
}

/// Expand a message template: inserts, escapes and line breaks per `width`
/// (0: keep the template's line breaks; 0xff: template line breaks become spaces; other
/// values: also wrap lines at that width).
fn expand<U: Unit>(
    src: &[U],
    flags: u32,
    args: &mut Args,
    wide_default: bool,
) -> ffi::WsResult<Vec<U>> {
    let width = (flags & FORMAT_MESSAGE_MAX_WIDTH_MASK) as usize;
    let ignore = flags & FORMAT_MESSAGE_IGNORE_INSERTS != 0;
    let mut out: Vec<U> = Vec::new();
    let mut i = 0;
    while i < src.len() {
        let c = src[i];
        if is(c, b'%') {
            let Some(&d) = src.get(i + 1) else {
                // A lone '%' at the end of the template is an error.
                return Err(WsaError::ERROR_INVALID_PARAMETER);
            };
            let dv = d.to_u32();
            if (b'1' as u32..=b'9' as u32).contains(&dv) {
                // %n or %nn, optionally followed by !fmt!
                let mut j = i + 1;
                let mut n = 0usize;
                while j < src.len()
                    && j < i + 3
                    && (b'0' as u32..=b'9' as u32).contains(&src[j].to_u32())
                {
                    n = n * 10 + (src[j].to_u32() - b'0' as u32) as usize;
                    j += 1;
                }
                let mut fmt: Option<Vec<u8>> = None;
                if j < src.len() && is(src[j], b'!') {
                    let start = j + 1;
                    let mut k = start;
                    while k < src.len() && !is(src[k], b'!') {
                        k += 1;
                    }
                    if k >= src.len() {
                        return Err(WsaError::ERROR_INVALID_PARAMETER);
                    }
                    fmt = Some(
                        src[start..k]
                            .iter()
                            .map(|u| {
                                let v = u.to_u32();
                                if v < 128 {
                                    v as u8
                                } else {
                                    0xff
                                }
                            })
                            .collect(),
                    );
                    j = k + 1;
                }
                if ignore {
                    out.extend_from_slice(&src[i..j]);
                } else {
                    let mut idx = n;
                    let spec = match &fmt {
                        Some(f) => parse_spec(f, args, &mut idx)?,
                        None => parse_spec(b"s", args, &mut idx)?,
                    };
                    let v = args.get(idx)?;
                    format_insert(&mut out, &spec, v, wide_default);
                }
                i = j;
                continue;
            }
            // %0, %n, %r and %t apply even with IGNORE_INSERTS; other escapes (%%, %., %!,
            // %space) are then copied unchanged.
            match char::from_u32(dv).unwrap_or('\u{fffd}') {
                '0' => return Ok(out),
                'n' => {
                    out.push(U::ascii(b'\r'));
                    out.push(U::ascii(b'\n'));
                }
                'r' => out.push(U::ascii(b'\r')),
                't' => out.push(U::ascii(b'\t')),
                _ => {
                    if ignore {
                        out.push(c);
                    }
                    out.push(d)
                }
            }
            i += 2;
            continue;
        }
        if width != 0 && (is(c, b'\r') || is(c, b'\n')) {
            // Template line breaks: one space for "\r\n", "\r" or "\n".
            if is(c, b'\r') && src.get(i + 1).is_some_and(|n| is(*n, b'\n')) {
                i += 1;
            }
            out.push(U::ascii(b' '));
            i += 1;
            continue;
        }
        out.push(c);
        i += 1;
    }
    if width != 0 && width != FORMAT_MESSAGE_MAX_WIDTH_MASK as usize {
        out = wrap(&out, width);
    }
    Ok(out)
}

/// Break lines longer than `width` at the last space before the limit ("\r\n").
fn wrap<U: Unit>(text: &[U], width: usize) -> Vec<U> {
    let mut out = Vec::new();
    let mut line: Vec<U> = Vec::new();
    for &c in text {
        if is(c, b'\n') {
            out.extend_from_slice(&line);
            out.push(c);
            line.clear();
            continue;
        }
        line.push(c);
        if line.len() > width {
            let cut = line.iter().rposition(|u| is(*u, b' '));
            let (head, tail) = match cut {
                Some(p) if p > 0 => (line[..p].to_vec(), line[p + 1..].to_vec()),
                _ => (line[..width].to_vec(), line[width..].to_vec()),
            };
            out.extend_from_slice(&head);
            out.push(U::ascii(b'\r'));
            out.push(U::ascii(b'\n'));
            line = tail;
        }
    }
    out.extend_from_slice(&line);
    out
}

/// Common body of `FormatMessageA`/`FormatMessageW`.
///
/// # Safety
/// The pointers follow FormatMessage's contract: `source` a NUL-terminated template when
/// FROM_STRING is given, `buffer` writable for `size` units (or a pointer to a pointer with
/// ALLOCATE_BUFFER), `arguments` a `va_list *` or a `DWORD_PTR` array.
unsafe fn format_message<U: Unit + PartialEq>(
    flags: u32,
    source: *const libc::c_void,
    id: u32,
    lang: u32,
    buffer: *mut U,
    size: u32,
    arguments: *mut libc::c_void,
) -> ffi::WsResult<u32> {
    // `%s` is a string of the variant's own width.
    let wide_default = std::mem::size_of::<U>() == 2;
    let template: Vec<U> = if flags & FORMAT_MESSAGE_FROM_STRING != 0 {
        if source.is_null() {
            return Err(WsaError::ERROR_INVALID_PARAMETER);
        }
        // SAFETY: FROM_STRING: `source` is a NUL-terminated template of this variant's unit.
        unsafe { c_units(source as *const U) }
    } else if flags & (FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_FROM_HMODULE) != 0 {
        // Language: neutral, user/system default or English.
        let primary = lang & 0x3ff;
        if lang != 0 && primary != 0 && primary != 0x09 {
            return Err(ERROR_RESOURCE_LANG_NOT_FOUND);
        }
        if flags & FORMAT_MESSAGE_FROM_SYSTEM == 0 {
            // Modules here carry no message tables.
            return Err(ERROR_RESOURCE_TYPE_NOT_FOUND);
        }
        let text = system_text(id).ok_or(ERROR_MR_MID_NOT_FOUND)?;
        let mut t = Vec::new();
        U::push_str(&mut t, text);
        U::push_str(&mut t, "\r\n");
        t
    } else {
        return Err(WsaError::ERROR_INVALID_PARAMETER);
    };
    let mut args = if flags & FORMAT_MESSAGE_IGNORE_INSERTS != 0 || arguments.is_null() {
        Args::None
    } else if flags & FORMAT_MESSAGE_ARGUMENT_ARRAY != 0 {
        Args::Array(arguments as *const u64)
    } else {
        // SAFETY: `arguments` is a `va_list *`; on x86-64 System V a va_list is an array of
        // one `__va_list_tag`, so the pointer designates that tag.
        Args::VaList {
            tag: arguments as *mut VaListTag,
            read: Vec::new(),
        }
    };
    let text = expand(&template, flags, &mut args, wide_default)?;
    let n = text.len();
    if flags & FORMAT_MESSAGE_ALLOCATE_BUFFER != 0 {
        if buffer.is_null() {
            return Err(WsaError::ERROR_NOT_ENOUGH_MEMORY);
        }
        let units = (n + 1).max(size as usize);
        let p = crate::heap::local_alloc_bytes(units * std::mem::size_of::<U>())? as *mut U;
        // SAFETY: `p` holds `units` >= n + 1 units; `buffer` is the caller's `LPTSTR *`.
        unsafe {
            std::ptr::copy_nonoverlapping(text.as_ptr(), p, n);
            *p.add(n) = U::default();
            *(buffer as *mut *mut U) = p;
        }
        return Ok(n as u32);
    }
    if buffer.is_null() || (size as usize) < n + 1 {
        return Err(WsaError::ERROR_INSUFFICIENT_BUFFER);
    }
    // SAFETY: `buffer` holds `size` >= n + 1 units by the caller's contract.
    unsafe {
        std::ptr::copy_nonoverlapping(text.as_ptr(), buffer, n);
        *buffer.add(n) = U::default();
    }
    Ok(n as u32)
}

/// `DWORD FormatMessageA(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId,
/// DWORD dwLanguageId, LPSTR lpBuffer, DWORD nSize, va_list *Arguments)`
#[no_mangle]
pub unsafe extern "C" fn FormatMessageA(
    flags: u32,
    source: *const libc::c_void,
    id: u32,
    lang: u32,
    buffer: *mut u8,
    size: u32,
    arguments: *mut libc::c_void,
) -> u32 {
    let _t = crate::trace_call!(
        "FormatMessageA",
        flags,
        source,
        id,
        lang,
        buffer,
        size,
        arguments
    );
    ffi::win(0, || {
        // SAFETY: forwarded caller contract.
        unsafe { format_message(flags, source, id, lang, buffer, size, arguments) }
    })
}

/// `DWORD FormatMessageW(...)`: as `FormatMessageA`, in UTF-16.
#[no_mangle]
pub unsafe extern "C" fn FormatMessageW(
    flags: u32,
    source: *const libc::c_void,
    id: u32,
    lang: u32,
    buffer: *mut u16,
    size: u32,
    arguments: *mut libc::c_void,
) -> u32 {
    let _t = crate::trace_call!(
        "FormatMessageW",
        flags,
        source,
        id,
        lang,
        buffer,
        size,
        arguments
    );
    ffi::win(0, || {
        // SAFETY: forwarded caller contract.
        unsafe { format_message(flags, source, id, lang, buffer, size, arguments) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_sorted() {
        assert!(MESSAGES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(system_text(10054).is_some());
        assert!(system_text(10000).is_none());
    }
}

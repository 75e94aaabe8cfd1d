//! Text forms of IP addresses as Windows reads and writes them: the rules behind `inet_addr`,
//! `inet_pton`, `WSAStringToAddress`, `inet_ntop` and `WSAAddressToString`.
//!
//! Windows parses with its own grammar, not POSIX's: dotted IPv4 parts may be octal or hex
//! (except in strict mode), the last part fills the remaining bytes, IPv6 text stops at the
//! first character that cannot continue the address (the caller decides whether the rest
//! matters), and the output buffer is written as parsing goes, so a failed parse can leave
//! part of an address behind. These functions keep all of that, because programs observe it.

/// The character at `i`, or NUL past the end (the strings come from C and end there).
fn at(s: &[u8], i: usize) -> u8 {
    s.get(i).copied().unwrap_or(0)
}

fn digit(c: u8) -> Option<u32> {
    (c as char).to_digit(16)
}

/// One dotted IPv4 part at `*i`: decimal, octal after a leading `0`, hex after `0x`
/// (prefixed forms fail in strict mode). A part made of nothing fails; so does a value that
/// wraps past 32 bits, leaving `*i` on the digit that wrapped. A `.` where a part should
/// start is stepped over before failing, which moves the reported end past it.
fn v4_part(s: &[u8], i: &mut usize, strict: bool) -> Option<u32> {
    if at(s, *i) == b'.' {
        *i += 1;
        return None;
    }
    let mut base = 10;
    if at(s, *i) == b'0' {
        match at(s, *i + 1) {
            b'x' | b'X' => {
                *i += 2;
                if strict {
                    return None;
                }
                base = 16;
            }
            b'0'..=b'9' => {
                *i += 1;
                if strict {
                    return None;
                }
                base = 8;
            }
            _ => {}
        }
    }
    let mut value: u32 = 0;
    let mut seen = false;
    while let Some(d) = digit(at(s, *i)).filter(|&d| d < base) {
        let next = value.wrapping_mul(base).wrapping_add(d);
        if next < value {
            return None;
        }
        value = next;
        seen = true;
        *i += 1;
    }
    seen.then_some(value)
}

/// Parse dotted IPv4 text (`a`, `a.b`, `a.b.c`, `a.b.c.d`; strict mode wants four decimal
/// parts). Returns the address in network order when the text up to the returned end is
/// an address, and the index where parsing stopped.
pub fn ipv4(s: &[u8], strict: bool) -> (Option<[u8; 4]>, usize) {
    let mut i = 0;
    let mut parts = [0u32; 4];
    let mut n = 0;
    loop {
        match v4_part(s, &mut i, strict) {
            Some(v) => parts[n] = v,
            None => return (None, i),
        }
        n += 1;
        if at(s, i) != b'.' {
            break;
        }
        if n == 4 {
            return (None, i);
        }
        i += 1;
    }
    if strict && n < 4 {
        return (None, i);
    }
    let (lead, last) = (&parts[..n - 1], parts[n - 1]);
    if lead.iter().any(|&p| p > 0xff) {
        return (None, i);
    }
    // The last part fills every byte the leading parts did not.
    let bits = 8 * (5 - n as u32);
    if bits < 32 && last >> bits != 0 {
        return (None, i);
    }
    let mut value = last;
    for (k, &p) in lead.iter().enumerate() {
        value |= p << (24 - 8 * k as u32);
    }
    (Some(value.to_be_bytes()), i)
}

/// IPv4 text with an optional `:port` that must end the string (the form
/// `WSAStringToAddress` takes; non-strict). The address is returned whenever the dotted
/// part parsed, even if what follows is rejected, because Windows has already stored it by
/// then; the port (host order, 0 when absent) only on full success.
pub fn ipv4_with_port(s: &[u8]) -> (Option<[u8; 4]>, Option<u16>) {
    let (addr, mut i) = ipv4(s, false);
    let Some(addr) = addr else {
        return (None, None);
    };
    let mut port = 0;
    if at(s, i) == b':' {
        i += 1;
        match v4_part(s, &mut i, false) {
            Some(p) if p != 0 && p <= 0xffff && at(s, i) == 0 => port = p as u16,
            _ => return (Some(addr), None),
        }
    }
    if at(s, i) != 0 {
        return (Some(addr), None);
    }
    (Some(addr), Some(port))
}

/// `inet_addr`'s reading of `s`: non-strict dotted IPv4 that may be followed by white space
/// and anything after it. A lone space is the one string that reads as 0.0.0.0.
pub fn inet_addr(s: &[u8]) -> Option<[u8; 4]> {
    if s == b" " {
        return Some([0; 4]);
    }
    let (addr, end) = ipv4(s, false);
    match at(s, end) {
        0 | b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => addr,
        _ => None,
    }
}

/// One IPv6-text component read the way `strtoul` reads it in `base`: it must start with a
/// hex digit, base 16 takes a `0x` prefix when a hex digit follows it, the value saturates
/// at 32 bits and is then capped at 0x7fffffff. Returns the value and the index after it.
fn v6_part(s: &[u8], i: usize, base: u32) -> Option<(u32, usize)> {
    digit(at(s, i))?;
    let mut j = i;
    if base == 16
        && at(s, j) == b'0'
        && matches!(at(s, j + 1), b'x' | b'X')
        && digit(at(s, j + 2)).is_some()
    {
        j += 2;
    }
    let first = j;
    let mut value: u64 = 0;
    while let Some(d) = digit(at(s, j)).filter(|&d| d < base) {
        value = (value * u64::from(base) + u64::from(d)).min(u64::from(u32::MAX));
        j += 1;
    }
    if j == first {
        return None;
    }
    Some((value.min(0x7fff_ffff) as u32, j))
}

/// Result of [`ipv6`].
#[derive(Debug, PartialEq, Eq)]
pub enum V6 {
    /// The text up to `end` is an address (plus, in the extended form, scope and port in
    /// host order, and then `end` is the string's end).
    Ok { end: usize, scope: u32, port: u16 },
    /// Not an address; `end` is where parsing stopped when Windows reports it.
    Bad { end: Option<usize> },
}

fn bad(end: usize) -> V6 {
    V6::Bad { end: Some(end) }
}

/// Parse IPv6 text into `out`, which is written as parsing goes (so callers see partial
/// addresses on failure exactly as Windows leaves them). `extended` is the form
/// `WSAStringToAddress` takes: `[addr%scope]:port` brackets, a decimal `%scope`, and the
/// whole string must be consumed.
///
/// Windows quirks kept on purpose: a leading `::` counts one zero word before the gap (so
/// `::` followed by seven words is one word too many), a last word written `0x...` is
/// accepted but ends the text at the `x`, and an embedded dotted IPv4 tail takes parts of up
/// to three decimal digits (leading zeros allowed).
pub fn ipv6(s: &[u8], out: &mut [u8; 16], extended: bool) -> V6 {
    let mut i = 0;
    let mut bracketed = false;
    if at(s, 0) == b'[' {
        if !extended {
            return bad(0);
        }
        bracketed = true;
        i = 1;
    }
    // `n` is the number of address bytes produced so far, `gap` where `::` stood.
    let mut n = 0usize;
    let mut gap: Option<usize> = None;
    if at(s, i) == b':' {
        if at(s, i + 1) != b':' {
            return bad(i);
        }
        i += 1;
        out[0] = 0;
        out[1] = 0;
        n = 2;
    }
    let mut octets = 0u32; // dotted IPv4 parts seen, 0 while still reading hex words
    let mut too_big = false;
    let mut hex_tail: Option<usize> = None;
    loop {
        if octets == 0 && at(s, i) == b':' {
            if gap.is_some() {
                return bad(i);
            }
            i += 1;
            gap = Some(n);
            if n == 14 || v6_part(s, i, 16).is_none() {
                break;
            }
        }
        let start = i;
        let room_for_v4 = if gap.is_some() { 10 } else { 12 };
        if octets == 0
            && n <= room_for_v4
            && matches!(v6_part(s, i, 10), Some((_, j)) if at(s, j) == b'.')
        {
            octets = 1;
        }
        if octets > 0 {
            let Some((value, j)) = v6_part(s, i, 10) else {
                return bad(i);
            };
            i = j;
            if j - start > 3 || value > 255 {
                too_big = true;
            } else {
                if at(s, i) != b'.' && (octets < 4 || (n < 15 && gap.is_none())) {
                    return bad(i);
                }
                out[n] = value as u8;
                n += 1;
            }
            if octets == 4 || at(s, i) != b'.' {
                break;
            }
            octets += 1;
        } else {
            let Some((value, j)) = v6_part(s, i, 16) else {
                return bad(i);
            };
            i = j;
            if at(s, start) == b'0' && matches!(at(s, start + 1), b'x' | b'X') {
                if n < 14 && gap.is_none() {
                    return bad(start + 1);
                }
                out[n..n + 2].copy_from_slice(&(value as u16).to_be_bytes());
                n += 2;
                hex_tail = Some(start + 1);
                break;
            }
            if at(s, i) != b':' && n < 14 && gap.is_none() {
                return bad(i);
            }
            if j - start > 4 {
                too_big = true;
            } else {
                out[n..n + 2].copy_from_slice(&(value as u16).to_be_bytes());
            }
            n += 2;
            if at(s, i) != b':' || (gap.is_some() && at(s, i + 1) == b':') {
                break;
            }
        }
        if n == if gap.is_some() { 14 } else { 16 } {
            break;
        }
        if too_big {
            return V6::Bad { end: None };
        }
        i += 1;
    }
    if too_big {
        return bad(i);
    }
    match gap {
        None if n < 16 => return bad(i),
        None => {}
        Some(g) => {
            let tail = n - g;
            out.copy_within(g..n, 16 - tail);
            out[g..16 - tail].fill(0);
        }
    }
    if !extended {
        return V6::Ok {
            end: hex_tail.unwrap_or(i),
            scope: 0,
            port: 0,
        };
    }
    if hex_tail.is_some() {
        return V6::Bad { end: None };
    }
    let mut scope = 0;
    if at(s, i) == b'%' {
        i += 1;
        match v4_part(s, &mut i, true) {
            Some(v) => scope = v,
            None => return bad(i),
        }
    }
    let mut port = 0;
    if bracketed {
        if at(s, i) != b']' {
            return bad(i);
        }
        i += 1;
        if at(s, i) == b':' {
            i += 1;
            match v4_part(s, &mut i, false) {
                Some(p) if p != 0 && p <= 0xffff && at(s, i) == 0 => port = p as u16,
                _ => return bad(i),
            }
        }
    }
    if at(s, i) != 0 {
        return bad(i);
    }
    V6::Ok {
        end: i,
        scope,
        port,
    }
}

/// Dotted-decimal text of an IPv4 address in network order.
pub fn ipv4_text(a: [u8; 4]) -> String {
    format!("{}.{}.{}.{}", a[0], a[1], a[2], a[3])
}

/// Whether Windows prints the last 32 bits of `w` as dotted IPv4: ISATAP addresses
/// (`::5efe:a.b.c.d` with the u/g bits free), and, when word 6 is not zero, the
/// IPv4-compatible (`::a.b.c.d`), IPv4-mapped (`::ffff:a.b.c.d`) and IPv4-translated
/// (`::ffff:0:a.b.c.d`) forms.
fn has_ipv4_tail(w: &[u16; 8]) -> bool {
    if w[5] == 0x5efe && w[4] & !0x0200 == 0 {
        return true;
    }
    if w[..4].iter().any(|&x| x != 0) || w[6] == 0 {
        return false;
    }
    matches!((w[4], w[5]), (0, 0) | (0, 0xffff) | (0xffff, 0))
}

/// IPv6 text as Windows writes it (`RtlIpv6AddressToStringEx`): lower-case hex without
/// leading zeros, the first longest run of two or more zero words written `::`, dotted IPv4
/// for the forms in [`has_ipv4_tail`], then `%scope` when the scope is not 0, and the whole
/// in `[...]:port` when the port (host order) is not 0.
pub fn ipv6_text(a: &[u8; 16], scope: u32, port: u16) -> String {
    let mut w = [0u16; 8];
    for (k, word) in w.iter_mut().enumerate() {
        *word = u16::from_be_bytes([a[2 * k], a[2 * k + 1]]);
    }
    let words = if has_ipv4_tail(&w) { 6 } else { 8 };
    // First longest run of zero words, at least two long.
    let (mut gap, mut gap_len) = (usize::MAX, 1);
    let mut k = 0;
    while k < words {
        let run = w[k..words].iter().take_while(|&&x| x == 0).count();
        if run > gap_len {
            gap = k;
            gap_len = run;
        }
        k += run.max(1);
    }
    let mut s = String::with_capacity(64);
    if port != 0 {
        s.push('[');
    }
    let mut k = 0;
    while k < words {
        if k == gap {
            s.push(':');
            k += gap_len;
            if k == words {
                s.push(':');
            }
            continue;
        }
        if k > 0 {
            s.push(':');
        }
        s.push_str(&format!("{:x}", w[k]));
        k += 1;
    }
    if words == 6 {
        if !s.ends_with(':') {
            s.push(':');
        }
        s.push_str(&ipv4_text([a[12], a[13], a[14], a[15]]));
    }
    if scope != 0 {
        s.push_str(&format!("%{scope}"));
    }
    if port != 0 {
        s.push_str(&format!("]:{port}"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v4(s: &str, strict: bool) -> (Option<u32>, usize) {
        let (a, end) = ipv4(s.as_bytes(), strict);
        (a.map(u32::from_be_bytes), end)
    }

    #[test]
    fn ipv4_non_strict() {
        let cases: &[(&str, Option<u32>, usize)] = &[
            ("", None, 0),
            (" ", None, 0),
            ("1.1.1.1", Some(0x01010101), 7),
            ("255.255.255.255:123", Some(0xffffffff), 15),
            ("255.255.255.256", None, 15),
            ("255.255.255.4294967295", None, 22),
            ("255.255.255.4294967296", None, 21),
            ("1.1.1.0xaA", Some(0x010101aa), 10),
            ("1.1.1.0x", None, 8),
            ("1.1.1.0x100", None, 11),
            ("1.1.1.0x100000000", None, 16),
            ("1.1.1.010", Some(0x01010108), 9),
            ("1.1.1.08", None, 7),
            ("1.1.1.008", Some(0x01010100), 8),
            ("1.1.1.0a", Some(0x01010100), 7),
            ("1.1.1.-2", None, 6),
            ("1", Some(1), 1),
            ("1.2", Some(0x01000002), 3),
            ("1000.2000", None, 9),
            ("1.2.", None, 4),
            ("1..2", None, 3),
            ("1...2", None, 3),
            ("1.2.3", Some(0x01020003), 5),
            ("203569230", Some(0x0c22384e), 9),
            ("1.223756", Some(0x01036a0c), 8),
            ("3.4.756", Some(0x030402f4), 7),
            ("3.4.65536", None, 9),
            ("3.4.5.6.7", None, 7),
            ("3. 4.5.6", None, 2),
            (".", None, 1),
            ("..", None, 1),
            ("1.", None, 2),
            ("1..", None, 3),
            (".1.2.3", None, 1),
            ("[0.1.2.3]", None, 0),
            ("0x123456789", Some(0x23456789), 11),
            ("0x00010Q03", Some(0x10), 7),
            ("1234BEEF", Some(1234), 4),
            ("017700000001", Some(0x7f000001), 12),
            ("0777", Some(0x1ff), 4),
            ("::1", None, 0),
        ];
        for &(s, want, end) in cases {
            assert_eq!(v4(s, false), (want, end), "{s:?}");
        }
    }

    #[test]
    fn ipv4_strict() {
        assert_eq!(v4("1.1.1.0xaA", true), (None, 8));
        assert_eq!(v4("1.1.1.010", true), (None, 7));
        assert_eq!(v4("1", true), (None, 1));
        assert_eq!(v4("0x00010203", true), (None, 2));
        assert_eq!(v4("017700000001", true), (None, 1));
        assert_eq!(v4("1.1.1.0a", true), (Some(0x01010100), 7));
        assert_eq!(v4("127.127.127.255:123", true), (Some(0x7f7f7fff), 15));
    }

    #[test]
    fn inet_addr_rules() {
        let cases: &[(&str, u32)] = &[
            ("1.2.3.4", 0x01020304),
            ("1 2 3 4", 0x00000001),
            ("1.2.3. 4", 0xffffffff),
            ("1.2.3 .4", 0x01020003),
            ("1.2.3 \u{fe}", 0x01020003),
            ("3.4.5.6  7", 0x03040506),
            (" 3.4.5.6", 0xffffffff),
            ("3.4.5.6 ", 0x03040506),
            ("", 0xffffffff),
            (" ", 0),
            ("  ", 0xffffffff),
            ("\t", 0xffffffff),
            ("0xa1a2b3b4 ", 0xa1a2b3b4),
            ("127.127.127.255:123", 0xffffffff),
            ("1.2.3.0a", 0xffffffff),
            ("1", 0x00000001),
            ("0x2134", 0x00002134),
            ("::1", 0xffffffff),
        ];
        for &(s, want) in cases {
            let got = inet_addr(s.as_bytes())
                .map(u32::from_be_bytes)
                .unwrap_or(0xffffffff);
            assert_eq!(got, want, "{s:?}");
        }
        for c in 1u8..=255 {
            if c.is_ascii_digit() {
                continue;
            }
            let s = [b'1', b'.', b'2', b'.', b'3', c];
            let space = matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r');
            assert_eq!(inet_addr(&s).is_some(), space, "char {c}");
        }
    }

    #[test]
    fn ipv4_port_form() {
        let cases: &[(&str, Option<u32>, Option<u16>)] = &[
            ("127.127.127.127:123", Some(0x7f7f7f7f), Some(123)),
            ("127.127.127.127:", Some(0x7f7f7f7f), None),
            ("127.127.127.127:0", Some(0x7f7f7f7f), None),
            ("127.127.127.127:65537", Some(0x7f7f7f7f), None),
            ("127.127.127.127:0xAbCd", Some(0x7f7f7f7f), Some(43981)),
            ("127.127.127.127:010", Some(0x7f7f7f7f), Some(8)),
            ("127.127.127.127:08", Some(0x7f7f7f7f), None),
            ("1.1.1.008", Some(0x01010100), None),
            ("3.4.5.6 ", Some(0x03040506), None),
            ("1:1", Some(1), Some(1)),
            ("2001::1", Some(0x7d1), None),
            ("255.255.255.256", None, None),
        ];
        for &(s, addr, port) in cases {
            let (a, p) = ipv4_with_port(s.as_bytes());
            assert_eq!((a.map(u32::from_be_bytes), p), (addr, port), "{s:?}");
        }
    }

    /// Parse into a buffer pre-filled with 0xab; returns (inet_pton's result, words).
    fn pton6(s: &str) -> (i32, [u16; 8]) {
        let mut out = [0xabu8; 16];
        let ok = match ipv6(s.as_bytes(), &mut out, false) {
            V6::Ok { end, .. } => (end == s.len()) as i32,
            V6::Bad { .. } => 0,
        };
        let mut w = [0u16; 8];
        for k in 0..8 {
            w[k] = u16::from_be_bytes([out[2 * k], out[2 * k + 1]]);
        }
        (ok, w)
    }

    const X: u16 = 0xabab;

    #[test]
    fn ipv6_pton_table() {
        let cases: &[(&str, i32, [u16; 8])] = &[
            ("0:0:0:0:0:0:0:1", 1, [0, 0, 0, 0, 0, 0, 0, 1]),
            ("0:0:0:0:0:0:0::", 1, [0; 8]),
            (
                "0:0:0:0:0:0:13.1.68.3",
                1,
                [0, 0, 0, 0, 0, 0, 0x0d01, 0x4403],
            ),
            (
                "0:0:0:0:0:FFFF:129.144.52.38",
                1,
                [0, 0, 0, 0, 0, 0xffff, 0x8190, 0x3426],
            ),
            (
                "1080:0:0:0:8:800:200c:417a",
                1,
                [0x1080, 0, 0, 0, 8, 0x800, 0x200c, 0x417a],
            ),
            (
                "1111:2222:3333:4444:0x5555:6666:7777:8888",
                0,
                [0x1111, 0x2222, 0x3333, 0x4444, X, X, X, X],
            ),
            (
                "1111:2222:3333:4444:5555:6666::7777:8888",
                0,
                [0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0, 0x7777],
            ),
            (
                "1111:2222:3333:4444:5555:6666:7777::8888",
                0,
                [0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777, 0],
            ),
            (
                "1111:2222:3333:4444:5555::0x1.123.123.123",
                0,
                [0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0, 0, 1],
            ),
            (
                "1111:2222:3333:4444:5555::0x88",
                0,
                [0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0, 0, 0x88],
            ),
            (
                "1111:2222:3333:4444:5555::0X",
                0,
                [0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0, 0, 0],
            ),
            (
                "1111:2222:3333:4444:5555::0x80000000",
                0,
                [0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0, 0, 0xffff],
            ),
            (
                "1111:2222:3333:4444::5555:0x012345678",
                0,
                [0x1111, 0x2222, 0x3333, 0x4444, 0, 0, 0x5555, 0x5678],
            ),
            (
                "1111:2222:3333:4444:5555:6666:0x12345678",
                0,
                [0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, X, X],
            ),
            (
                "111:222:333:444:555:666:777:0x123456789abcdef0",
                0,
                [0x111, 0x222, 0x333, 0x444, 0x555, 0x666, 0x777, 0xffff],
            ),
            (
                "1111:2222:3333:4444:5555::08888",
                0,
                [0x1111, 0x2222, 0x3333, 0x4444, 0x5555, X, X, X],
            ),
            (
                "1111:2222:3333:4444:5555:6666:7777:fffff:",
                0,
                [0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777, X],
            ),
            (
                "1111::123.123.123.123",
                1,
                [0x1111, 0, 0, 0, 0, 0, 0x7b7b, 0x7b7b],
            ),
            ("::", 1, [0; 8]),
            ("::%16", 0, [0; 8]),
            ("::01234", 0, [0, X, X, X, X, X, X, X]),
            ("::0:0:0:0:0:0", 1, [0; 8]),
            ("::0:0:0:0:0:0:0", 0, [0; 8]),
            ("::0:a:b:c:d:e:f", 0, [0, 0, 0, 0xa, 0xb, 0xc, 0xd, 0xe]),
            ("::123.123.123.123", 1, [0, 0, 0, 0, 0, 0, 0x7b7b, 0x7b7b]),
            ("-1", 0, [X; 8]),
            ("2001:0000::01234.0", 0, [0x2001, 0, X, X, X, X, X, X]),
            ("2001:0::b.0", 0, [0x2001, 0, 0, 0, 0, 0, 0, 0xb]),
            ("1.2.3.4", 0, [0x0102, 0x03ab, X, X, X, X, X, X]),
            ("1111", 0, [X; 8]),
            ("0x1111", 0, [X; 8]),
            (
                "1111:2222:1.2.3.4",
                0,
                [0x1111, 0x2222, 0x0102, 0x03ab, X, X, X, X],
            ),
            (
                "1111:2222:3333:4444:5555:6666::1.2.3.4",
                0,
                [0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0, 1],
            ),
            (
                "1111:2222:3333:4444:5555:6666:7777:8888:",
                0,
                [
                    0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777, 0x8888,
                ],
            ),
            ("1111:2222:::", 0, [0x1111, 0x2222, 0, 0, 0, 0, 0, 0]),
            ("1111::5555:", 0, [0x1111, 0x5555, X, X, X, X, X, X]),
            (
                "1111::3333:4444:5555:6666:7777::",
                0,
                [0x1111, 0, 0, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777],
            ),
            ("12345::6:7:8", 0, [X; 8]),
            ("1::001.2.3.4", 1, [1, 0, 0, 0, 0, 0, 0x0102, 0x0304]),
            ("1::0001.2.3.4", 0, [1, X, X, X, X, X, X, X]),
            ("1::1.0002.3.4", 0, [1, 0x01ab, X, X, X, X, X, X]),
            ("1::1.2.3.300.", 0, [1, 0x0102, 0x03ab, X, X, X, X, X]),
            ("1::1.2::1", 0, [1, 0x01ab, X, X, X, X, X, X]),
            ("1::1.2.3.4::1", 0, [1, 0, 0, 0, 0, 0, 0x0102, 0x0304]),
            ("1::1.", 0, [1, 0x01ab, X, X, X, X, X, X]),
            ("1::1.2.", 0, [1, 0x0102, X, X, X, X, X, X]),
            ("1::256.2.3.4", 0, [1, X, X, X, X, X, X, X]),
            ("1::1a.2.3.4", 0, [1, 0, 0, 0, 0, 0, 0, 0x1a]),
            ("1::2::3", 0, [1, 0, 0, 0, 0, 0, 0, 2]),
            (
                "2001:0000:1234: 0000:0000:C1C0:ABCD:0876",
                0,
                [0x2001, 0, 0x1234, X, X, X, X, X],
            ),
            (
                "2001:1:1:1:1:1:255Z255X255Y255",
                0,
                [0x2001, 1, 1, 1, 1, 1, X, X],
            ),
            ("2001::FFD3::57ab", 0, [0x2001, 0, 0, 0, 0, 0, 0, 0xffd3]),
            (":", 0, [X; 8]),
            (":1111::", 0, [X; 8]),
            ("::-1", 0, [0; 8]),
            ("::12345678", 0, [0, X, X, X, X, X, X, X]),
            ("::0x80000000", 0, [0, 0, 0, 0, 0, 0, 0, 0xffff]),
            ("::0x123456789", 0, [0, 0, 0, 0, 0, 0, 0, 0xffff]),
            ("::...", 0, [0; 8]),
            ("[::]", 0, [X; 8]),
        ];
        for &(s, ret, words) in cases {
            assert_eq!(pton6(s), (ret, words), "{s:?}");
        }
    }

    fn string_to_addr6(s: &str) -> (Result<(u32, u16), ()>, [u16; 8]) {
        let mut out = [0u8; 16];
        let r = match ipv6(s.as_bytes(), &mut out, true) {
            V6::Ok { scope, port, .. } => Ok((scope, port)),
            V6::Bad { .. } => Err(()),
        };
        let mut w = [0u16; 8];
        for k in 0..8 {
            w[k] = u16::from_be_bytes([out[2 * k], out[2 * k + 1]]);
        }
        (r, w)
    }

    #[test]
    fn ipv6_extended_form() {
        assert_eq!(
            string_to_addr6("::1"),
            (Ok((0, 0)), [0, 0, 0, 0, 0, 0, 0, 1])
        );
        assert_eq!(
            string_to_addr6("[::1]:65535"),
            (Ok((0, 65535)), [0, 0, 0, 0, 0, 0, 0, 1])
        );
        assert_eq!(
            string_to_addr6("[fe80::1%4]:0x50"),
            (Ok((4, 80)), [0xfe80, 0, 0, 0, 0, 0, 0, 1])
        );
        assert_eq!(string_to_addr6("fe80::1%12").0, Ok((12, 0)));
        assert_eq!(string_to_addr6("::1]:65535").0, Err(()));
        assert_eq!(string_to_addr6("[::1]:0").0, Err(()));
        assert_eq!(string_to_addr6("[::1]:65536").0, Err(()));
        assert_eq!(string_to_addr6("::1%0x1").0, Err(()));
        assert_eq!(
            string_to_addr6("001::1"),
            (Ok((0, 0)), [1, 0, 0, 0, 0, 0, 0, 1])
        );
        assert_eq!(
            string_to_addr6("::1:2:3:4:5:6:7"),
            (Err(()), [0, 0, 1, 2, 3, 4, 5, 6])
        );
        assert_eq!(
            string_to_addr6("1.2.3.4"),
            (Err(()), [0x0102, 0x0300, 0, 0, 0, 0, 0, 0])
        );
        assert_eq!(
            string_to_addr6("1:2:3:"),
            (Err(()), [1, 2, 3, 0, 0, 0, 0, 0])
        );
        assert_eq!(string_to_addr6("::0x1").0, Err(()));
        assert_eq!(string_to_addr6("").0, Err(()));
    }

    fn a6(words: [u16; 8]) -> [u8; 16] {
        let mut a = [0u8; 16];
        for k in 0..8 {
            a[2 * k..2 * k + 2].copy_from_slice(&words[k].to_be_bytes());
        }
        a
    }

    #[test]
    fn ipv6_formatting() {
        let cases: &[([u16; 8], u32, u16, &str)] = &[
            ([0, 0, 0, 0, 0, 0, 0, 1], 0, 0, "::1"),
            ([0; 8], 0, 0, "::"),
            ([0x20ab, 0, 0, 0, 0, 0, 0, 1], 0, 0, "20ab::1"),
            (
                [0x20ab, 0, 0, 0, 0, 0, 0, 0x2001],
                0,
                33274,
                "[20ab::2001]:33274",
            ),
            (
                [0x20ab, 0, 0, 0, 0, 0, 0, 0x2001],
                4660,
                33274,
                "[20ab::2001%4660]:33274",
            ),
            (
                [0x20ab, 0, 0, 0, 0, 0, 0, 0x2001],
                4660,
                0,
                "20ab::2001%4660",
            ),
            (
                [0, 0, 0, 0, 0, 0xfffe, 0xcc98, 0xbd74],
                0,
                0,
                "::fffe:cc98:bd74",
            ),
            ([0x2030, 0xa4b1, 0, 0, 0, 0, 0, 0], 0, 0, "2030:a4b1::"),
            (
                [0, 0, 0, 0, 0, 0, 0xcc98, 0xbd74],
                0,
                0,
                "::204.152.189.116",
            ),
            (
                [0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304],
                0,
                0,
                "::ffff:1.2.3.4",
            ),
            (
                [0, 0, 0, 0, 0xffff, 0, 0x0102, 0x0304],
                0,
                0,
                "::ffff:0:1.2.3.4",
            ),
            (
                [0xfe80, 0, 0, 0, 0, 0x5efe, 0x0102, 0x0304],
                0,
                0,
                "fe80::5efe:1.2.3.4",
            ),
            ([0, 0, 0, 0, 0, 0, 0, 0x0102], 0, 0, "::102"),
            ([1, 0, 2, 0, 0, 3, 0, 0], 0, 0, "1:0:2::3:0:0"),
            ([1, 0, 0, 2, 0, 0, 3, 4], 0, 0, "1::2:0:0:3:4"),
            ([1, 2, 3, 4, 5, 6, 7, 0], 0, 0, "1:2:3:4:5:6:7:0"),
            (
                [0x2001, 0xdb8, 0, 0, 0, 0, 0x1428, 0x57ab],
                0,
                0,
                "2001:db8::1428:57ab",
            ),
        ];
        for &(w, scope, port, want) in cases {
            assert_eq!(ipv6_text(&a6(w), scope, port), want);
        }
        assert_eq!(ipv4_text([21, 16, 32, 32]), "21.16.32.32");
    }
}

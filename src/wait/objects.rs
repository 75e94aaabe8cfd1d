//! Mutexes and semaphores (`CreateMutex*`, `ReleaseMutex`, `CreateSemaphore*`,
//! `ReleaseSemaphore`), and the process's object names.
//!
//! Both are [`Event`]s of another [`Kind`], so every wait takes them as it takes events. A
//! name is process-local: a second `Create*` with the name of a live object returns a new
//! handle to that object with `ERROR_ALREADY_EXISTS`, the name of a live object of another
//! type fails with `ERROR_INVALID_HANDLE`, and `Open*` finds the object by name. The name
//! goes when the object's last handle is closed, as on Windows. `Local\` names the same
//! namespace as a plain name, `Global\` a separate one.

use super::event::{Event, Kind};
use crate::error::{set_last_error, WsaError};
use crate::ffi::{self, WsResult};
use crate::handle::{table, Object};
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::{Arc, Weak};

/// `CREATE_MUTEX_INITIAL_OWNER`
const CREATE_MUTEX_INITIAL_OWNER: u32 = 0x1;
/// `CREATE_EVENT_MANUAL_RESET`, `CREATE_EVENT_INITIAL_SET`
const CREATE_EVENT_MANUAL_RESET: u32 = 0x1;
const CREATE_EVENT_INITIAL_SET: u32 = 0x2;

#[derive(PartialEq, Eq, Clone, Copy)]
enum Type {
    Event,
    Mutex,
    Semaphore,
}

fn type_of(e: &Event) -> Type {
    match e.kind() {
        Kind::Event => Type::Event,
        Kind::Mutex(_) => Type::Mutex,
        Kind::Semaphore { .. } => Type::Semaphore,
    }
}

static NAMES: Mutex<Option<HashMap<String, Weak<Event>>>> = Mutex::new(None);

fn insert(e: Arc<Event>) -> WsResult<usize> {
    table()
        .insert(Object::Event(e))
        .ok_or(WsaError::ERROR_NOT_ENOUGH_MEMORY)
}

/// A caller's object name: NULL or empty is no name.
enum Name {
    A(usize),
    W(usize),
}

impl Name {
    fn get(&self) -> WsResult<Option<String>> {
        let s = match *self {
            Name::A(0) | Name::W(0) => return Ok(None),
            // SAFETY: a non-NULL name is a NUL-terminated string by the caller's contract.
            Name::A(p) => String::from_utf8_lossy(unsafe { ffi::cstr(p as *const _) }?).into(),
            // SAFETY: as above, 16-bit units.
            Name::W(p) => unsafe { ffi::wstr(p as *const u16) }?,
        };
        if s.is_empty() {
            return Ok(None);
        }
        // "Local\\" names the session namespace plain names live in; "Global\\" another
        // one; any other backslash names a directory that does not exist.
        let key = match s.strip_prefix("Local\\") {
            Some(rest) => rest.to_string(),
            None => s,
        };
        let rest = key.strip_prefix("Global\\").unwrap_or(&key);
        if rest.contains('\\') {
            return Err(WsaError::ERROR_PATH_NOT_FOUND);
        }
        Ok(Some(key))
    }
}

/// Create an object, or open the live one of the same name and type. The last error is set
/// on success too: `ERROR_ALREADY_EXISTS` when an existing object was opened, 0 otherwise.
fn create(name: Name, ty: Type, make: impl FnOnce() -> Arc<Event>) -> WsResult<usize> {
    let Some(name) = name.get()? else {
        let h = insert(make())?;
        set_last_error(0);
        return Ok(h);
    };
    let mut names = NAMES.lock();
    let map = names.get_or_insert_with(HashMap::new);
    if let Some(e) = map.get(&name).and_then(Weak::upgrade) {
        if type_of(&e) != ty {
            return Err(WsaError::ERROR_INVALID_HANDLE);
        }
        let h = insert(e)?;
        set_last_error(WsaError::ERROR_ALREADY_EXISTS.0);
        return Ok(h);
    }
    let e = make();
    let h = insert(e.clone())?;
    if map.len().is_power_of_two() {
        map.retain(|_, w| w.strong_count() > 0);
    }
    map.insert(name, Arc::downgrade(&e));
    set_last_error(0);
    Ok(h)
}

/// `Open*`: a new handle to the live object of that name and type.
fn open(name: Name, ty: Type) -> WsResult<usize> {
    let name = name.get()?.ok_or(WsaError::ERROR_INVALID_PARAMETER)?;
    let e = NAMES
        .lock()
        .as_ref()
        .and_then(|m| m.get(&name))
        .and_then(Weak::upgrade)
        .ok_or(WsaError::ERROR_FILE_NOT_FOUND)?;
    if type_of(&e) != ty {
        return Err(WsaError::ERROR_INVALID_HANDLE);
    }
    insert(e)
}

fn mutex(name: Name, owned: bool) -> usize {
    ffi::win(0, || create(name, Type::Mutex, || Event::new_mutex(owned)))
}

fn semaphore(name: Name, initial: i32, max: i32) -> usize {
    ffi::win(0, || {
        if max <= 0 || initial < 0 || initial > max {
            return Err(WsaError::ERROR_INVALID_PARAMETER);
        }
        create(name, Type::Semaphore, || Event::new_semaphore(initial, max))
    })
}

fn event(name: Name, manual: bool, initial: bool) -> usize {
    ffi::win(0, || {
        create(name, Type::Event, || Arc::new(Event::new(manual, initial)))
    })
}

/// `HANDLE CreateEventA(LPSECURITY_ATTRIBUTES, BOOL bManualReset, BOOL bInitialState, LPCSTR)`
#[no_mangle]
pub extern "C" fn CreateEventA(_sa: usize, manual: i32, initial: i32, name: usize) -> usize {
    let _t = crate::trace_call!("CreateEventA", _sa, manual, initial, name);
    crate::trace::ret(|| event(Name::A(name), manual != 0, initial != 0))
}

/// `HANDLE CreateEventW(...)`, as [`CreateEventA`].
#[no_mangle]
pub extern "C" fn CreateEventW(_sa: usize, manual: i32, initial: i32, name: usize) -> usize {
    let _t = crate::trace_call!("CreateEventW", _sa, manual, initial, name);
    crate::trace::ret(|| event(Name::W(name), manual != 0, initial != 0))
}

/// `HANDLE CreateEventExA(LPSECURITY_ATTRIBUTES, LPCSTR, DWORD dwFlags, DWORD dwDesiredAccess)`
#[no_mangle]
pub extern "C" fn CreateEventExA(_sa: usize, name: usize, flags: u32, _access: u32) -> usize {
    let _t = crate::trace_call!("CreateEventExA", _sa, name, flags, _access);
    crate::trace::ret(|| {
        let (m, i) = (
            flags & CREATE_EVENT_MANUAL_RESET,
            flags & CREATE_EVENT_INITIAL_SET,
        );
        event(Name::A(name), m != 0, i != 0)
    })
}

/// `HANDLE CreateEventExW(...)`, as [`CreateEventExA`].
#[no_mangle]
pub extern "C" fn CreateEventExW(_sa: usize, name: usize, flags: u32, _access: u32) -> usize {
    let _t = crate::trace_call!("CreateEventExW", _sa, name, flags, _access);
    crate::trace::ret(|| {
        let (m, i) = (
            flags & CREATE_EVENT_MANUAL_RESET,
            flags & CREATE_EVENT_INITIAL_SET,
        );
        event(Name::W(name), m != 0, i != 0)
    })
}

/// `HANDLE OpenEventA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName)`
#[no_mangle]
pub extern "C" fn OpenEventA(_access: u32, _inherit: i32, name: usize) -> usize {
    let _t = crate::trace_call!("OpenEventA", _access, _inherit, name);
    ffi::win(0, || open(Name::A(name), Type::Event))
}

/// `HANDLE OpenEventW(...)`, as [`OpenEventA`].
#[no_mangle]
pub extern "C" fn OpenEventW(_access: u32, _inherit: i32, name: usize) -> usize {
    let _t = crate::trace_call!("OpenEventW", _access, _inherit, name);
    ffi::win(0, || open(Name::W(name), Type::Event))
}

/// `HANDLE CreateMutexA(LPSECURITY_ATTRIBUTES, BOOL bInitialOwner, LPCSTR lpName)`
#[no_mangle]
pub extern "C" fn CreateMutexA(_sa: usize, owned: i32, name: usize) -> usize {
    let _t = crate::trace_call!("CreateMutexA", _sa, owned, name);
    crate::trace::ret(|| mutex(Name::A(name), owned != 0))
}

/// `HANDLE CreateMutexW(...)`, as [`CreateMutexA`].
#[no_mangle]
pub extern "C" fn CreateMutexW(_sa: usize, owned: i32, name: usize) -> usize {
    let _t = crate::trace_call!("CreateMutexW", _sa, owned, name);
    crate::trace::ret(|| mutex(Name::W(name), owned != 0))
}

/// `HANDLE CreateMutexExA(LPSECURITY_ATTRIBUTES, LPCSTR, DWORD dwFlags, DWORD dwDesiredAccess)`
#[no_mangle]
pub extern "C" fn CreateMutexExA(_sa: usize, name: usize, flags: u32, _access: u32) -> usize {
    let _t = crate::trace_call!("CreateMutexExA", _sa, name, flags, _access);
    crate::trace::ret(|| mutex(Name::A(name), flags & CREATE_MUTEX_INITIAL_OWNER != 0))
}

/// `HANDLE CreateMutexExW(...)`, as [`CreateMutexExA`].
#[no_mangle]
pub extern "C" fn CreateMutexExW(_sa: usize, name: usize, flags: u32, _access: u32) -> usize {
    let _t = crate::trace_call!("CreateMutexExW", _sa, name, flags, _access);
    crate::trace::ret(|| mutex(Name::W(name), flags & CREATE_MUTEX_INITIAL_OWNER != 0))
}

/// `HANDLE OpenMutexA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName)`
#[no_mangle]
pub extern "C" fn OpenMutexA(_access: u32, _inherit: i32, name: usize) -> usize {
    let _t = crate::trace_call!("OpenMutexA", _access, _inherit, name);
    ffi::win(0, || open(Name::A(name), Type::Mutex))
}

/// `HANDLE OpenMutexW(...)`, as [`OpenMutexA`].
#[no_mangle]
pub extern "C" fn OpenMutexW(_access: u32, _inherit: i32, name: usize) -> usize {
    let _t = crate::trace_call!("OpenMutexW", _access, _inherit, name);
    ffi::win(0, || open(Name::W(name), Type::Mutex))
}

/// `BOOL ReleaseMutex(HANDLE)`: `ERROR_NOT_OWNER` when the caller does not own it.
#[no_mangle]
pub extern "C" fn ReleaseMutex(h: usize) -> i32 {
    let _t = crate::trace_call!("ReleaseMutex", h);
    ffi::win(0, || {
        super::event::get_object(h)?.release_mutex()?;
        Ok(1)
    })
}

/// `HANDLE CreateSemaphoreA(LPSECURITY_ATTRIBUTES, LONG lInitialCount, LONG lMaximumCount,
/// LPCSTR lpName)`
#[no_mangle]
pub extern "C" fn CreateSemaphoreA(_sa: usize, initial: i32, max: i32, name: usize) -> usize {
    let _t = crate::trace_call!("CreateSemaphoreA", _sa, initial, max, name);
    crate::trace::ret(|| semaphore(Name::A(name), initial, max))
}

/// `HANDLE CreateSemaphoreW(...)`, as [`CreateSemaphoreA`].
#[no_mangle]
pub extern "C" fn CreateSemaphoreW(_sa: usize, initial: i32, max: i32, name: usize) -> usize {
    let _t = crate::trace_call!("CreateSemaphoreW", _sa, initial, max, name);
    crate::trace::ret(|| semaphore(Name::W(name), initial, max))
}

/// `HANDLE CreateSemaphoreExA(LPSECURITY_ATTRIBUTES, LONG, LONG, LPCSTR, DWORD dwFlags,
/// DWORD dwDesiredAccess)`; `dwFlags` is reserved.
#[no_mangle]
pub extern "C" fn CreateSemaphoreExA(
    _sa: usize,
    initial: i32,
    max: i32,
    name: usize,
    _flags: u32,
    _access: u32,
) -> usize {
    let _t = crate::trace_call!(
        "CreateSemaphoreExA",
        _sa,
        initial,
        max,
        name,
        _flags,
        _access
    );
    crate::trace::ret(|| semaphore(Name::A(name), initial, max))
}

/// `HANDLE CreateSemaphoreExW(...)`, as [`CreateSemaphoreExA`].
#[no_mangle]
pub extern "C" fn CreateSemaphoreExW(
    _sa: usize,
    initial: i32,
    max: i32,
    name: usize,
    _flags: u32,
    _access: u32,
) -> usize {
    let _t = crate::trace_call!(
        "CreateSemaphoreExW",
        _sa,
        initial,
        max,
        name,
        _flags,
        _access
    );
    crate::trace::ret(|| semaphore(Name::W(name), initial, max))
}

/// `HANDLE OpenSemaphoreA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName)`
#[no_mangle]
pub extern "C" fn OpenSemaphoreA(_access: u32, _inherit: i32, name: usize) -> usize {
    let _t = crate::trace_call!("OpenSemaphoreA", _access, _inherit, name);
    ffi::win(0, || open(Name::A(name), Type::Semaphore))
}

/// `HANDLE OpenSemaphoreW(...)`, as [`OpenSemaphoreA`].
#[no_mangle]
pub extern "C" fn OpenSemaphoreW(_access: u32, _inherit: i32, name: usize) -> usize {
    let _t = crate::trace_call!("OpenSemaphoreW", _access, _inherit, name);
    ffi::win(0, || open(Name::W(name), Type::Semaphore))
}

/// `BOOL ReleaseSemaphore(HANDLE, LONG lReleaseCount, LPLONG lpPreviousCount)`: a release
/// that would pass the maximum fails with `ERROR_TOO_MANY_POSTS` and changes nothing.
#[no_mangle]
pub unsafe extern "C" fn ReleaseSemaphore(h: usize, n: i32, prev: *mut i32) -> i32 {
    let _t = crate::trace_call!("ReleaseSemaphore", h, n, prev);
    ffi::win(0, || {
        // The count is checked before the handle, as Windows' kernel does.
        if n <= 0 {
            return Err(WsaError::ERROR_INVALID_PARAMETER);
        }
        let p = super::event::get_object(h)?.release_semaphore(n)?;
        // SAFETY: a non-NULL lpPreviousCount is a writable LONG by the caller's contract.
        if let Some(out) = unsafe { prev.as_mut() } {
            *out = p;
        }
        Ok(1)
    })
}

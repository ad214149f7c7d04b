//! Sockets: preview1's `sock_accept`, `sock_recv`, `sock_send`, `sock_shutdown`, and WasmEdge's
//! socket extension (`sock_open`, `sock_bind`, `sock_connect`, `sock_listen`,
//! `sock_recv_from`, `sock_send_to`, `sock_getsockopt`, `sock_setsockopt`,
//! `sock_getlocaladdr`, `sock_getpeeraddr`, `sock_getaddrinfo`) in both of its ABIs.
//!
//! The signatures, struct layouts and error choices follow WasmEdge's
//! `lib/host/wasi/wasifunc.cpp` and `lib/host/wasi/inode-linux.cpp`:
//!
//! * **V1** (the plain names, WasmEdge before 0.12): an address is a `{buf: u32, buf_len: u32}`
//!   struct whose length picks the family (4 bytes: IPv4, 16: IPv6); `sock_accept(fd, *fd)`
//!   has no flags; `sock_getlocaladdr`/`sock_getpeeraddr` return the family as 4 or 6 through a
//!   separate pointer; `sock_recv_from` returns no port.
//! * **V2** (the `_v2` names): the address buffer may also be 128 bytes, a little-endian `u16`
//!   WASI address family (1: IPv4, 2: IPv6, 3: `AF_UNIX`) followed by the address bytes (an
//!   `AF_UNIX` path is a 108-byte `sun_path`); `sock_accept_v2(fd, fdflags, *fd)`;
//!   `sock_recv_from_v2` also returns the port.
//! * Functions whose V1 and V2 signatures are the same are V1 under their plain name, as in
//!   WasmEdge. [`crate::adapt_imports`] gives a module that imports a plain name with the V2
//!   signature the `_v2` function, as WasmEdge's instantiation does
//!   (`lib/executor/instantiate/import.cpp`).
//!
//! Ports are passed and returned in host byte order, except the one `sock_recv_from_v2` writes:
//! WasmEdge stores `sin_port` there unconverted, a `u16` in network byte order, and so does
//! Wedge, for guests written against it.
//!
//! Differences from WasmEdge: new descriptors get the lowest free number (WasmEdge picks a
//! random one); the options `SO_DONTROUTE`, `SO_RCVLOWAT` and `SO_BINDTODEVICE` answer
//! `notsup`; `sock_getaddrinfo` resolves through the standard library (the host's
//! `getaddrinfo`), knows a few service names, returns stream/TCP and datagram/UDP entries (no
//! raw ones), and returns a canonical name only as the node name itself.

use crate::fd::Descriptor;
use crate::memory::GuestMemory;
use crate::poll::Waiter;
use crate::{Args, Errno, MODULE, Registrar, WasiCtx};
use rustix::event::{PollFd, PollFlags};
use rustix::io::{IoSlice, IoSliceMut};
use rustix::net::sockopt::{self, Timeout};
use rustix::net::{
    AddressFamily, RecvAncillaryBuffer, RecvFlags, ReturnFlags, SendAncillaryBuffer, SendFlags,
    Shutdown, SocketAddrAny, SocketAddrUnix, SocketFlags, SocketType,
};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6, ToSocketAddrs};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::time::Duration;
use wedge::ValType::I32;
use wedge::{Error, Extern, ExternType, FuncType, Linker, Module, Val};

/// The most scatter/gather buffers one call takes (WasmEdge's `kIOVMax`).
const IOV_MAX: u32 = 1024;
/// The largest bounce buffer a receive into several guest buffers uses; a datagram (at most
/// 64 KiB over IP) always fits.
const RECV_BOUNCE_MAX: usize = 1 << 20;
/// The size of a V2 address buffer.
const ADDR_STORAGE: u32 = 128;
/// The size of `sockaddr_un::sun_path` on Linux.
const SUN_PATH: usize = 108;

/// WASI `fdflags::nonblock`.
const FDFLAGS_NONBLOCK: u32 = 1 << 2;
/// Every WASI `fdflags` bit.
const FDFLAGS_ALL: u32 = 0x1f;
/// WASI `riflags`: `recv_peek`, `recv_waitall`.
const RIFLAGS_PEEK: u32 = 1;
const RIFLAGS_WAITALL: u32 = 2;
/// WASI `roflags::recv_data_truncated`.
const ROFLAGS_TRUNCATED: u16 = 1;
/// WASI `sdflags`: `rd`, `wr`.
const SDFLAGS_RD: u32 = 1;
const SDFLAGS_WR: u32 = 2;

/// A socket's address family, numbered as WasmEdge's `address_family` (`inet4` is 1).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Family {
    Inet4 = 1,
    Inet6 = 2,
    Unix = 3,
}

/// A socket's type, numbered as WasmEdge's `sock_type` (`dgram` is 1).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Dgram = 1,
    Stream = 2,
}

/// An open host socket.
#[derive(Debug)]
pub(crate) struct Socket {
    fd: OwnedFd,
    family: Family,
    kind: Kind,
}

impl Socket {
    /// The host descriptor: `fd_read`, `fd_write`, `fd_fdstat_*` and `poll_oneoff` work on it
    /// as on any other.
    pub(crate) fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl AsFd for Socket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

/// A host error as a WASI errno.
fn os(e: rustix::io::Errno) -> Errno {
    Errno::from_raw_os(e.raw_os_error())
}

/// The socket open as guest descriptor `fd`.
fn socket(ctx: &WasiCtx, fd: u32) -> Result<&Socket, Errno> {
    match ctx.fds.get(&fd) {
        Some(Descriptor::Socket(s)) => Ok(s),
        Some(_) => Err(Errno::Notsock),
        None => Err(Errno::Badf),
    }
}

/// `p + off`, or `fault` when it wraps.
fn at(p: u32, off: u32) -> Result<u32, Errno> {
    p.checked_add(off).ok_or(Errno::Fault)
}

// ---------------------------------------------------------------------------------------------
// Addresses

/// Which of WasmEdge's two socket ABIs a function follows.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Abi {
    V1,
    V2,
}

/// The guest buffer an `address` struct (`{buf, buf_len}`) at `ptr` names, bounds-checked.
fn address_buf(mem: &GuestMemory<'_>, ptr: u32) -> Result<(u32, u32), Errno> {
    let buf = mem.read::<u32>(ptr)?;
    let len = mem.read::<u32>(at(ptr, 4)?)?;
    mem.slice(buf, len)?;
    Ok((buf, len))
}

/// The socket address the guest names with the `address` struct at `ptr` and `port`
/// (`sock_bind`, `sock_connect`, `sock_send_to`).
fn target(mem: &GuestMemory<'_>, ptr: u32, port: u32, abi: Abi) -> Result<SocketAddrAny, Errno> {
    let (buf, len) = address_buf(mem, ptr)?;
    let bytes = mem.slice(buf, len)?;
    let port = port as u16;
    let (family, addr) = match (len, abi) {
        (4, _) => (Family::Inet4, bytes),
        (16, _) => (Family::Inet6, bytes),
        (ADDR_STORAGE, Abi::V2) => {
            let family = match u16::from_le_bytes([bytes[0], bytes[1]]) {
                1 => Family::Inet4,
                2 => Family::Inet6,
                3 => Family::Unix,
                _ => return Err(Errno::Inval),
            };
            (family, &bytes[2..])
        }
        _ => return Err(Errno::Inval),
    };
    Ok(match family {
        Family::Inet4 => {
            let ip: [u8; 4] = addr[..4].try_into().map_err(|_| Errno::Inval)?;
            SocketAddrV4::new(Ipv4Addr::from(ip), port).into()
        }
        Family::Inet6 => {
            let ip: [u8; 16] = addr[..16].try_into().map_err(|_| Errno::Inval)?;
            SocketAddrV6::new(Ipv6Addr::from(ip), port, 0, 0).into()
        }
        Family::Unix => unix_address(&addr[..SUN_PATH])?.into(),
    })
}

/// A `sun_path` as WasmEdge reads it: up to the first NUL; a path starting with NUL is an
/// abstract name that takes the whole rest of the field.
fn unix_address(sun_path: &[u8]) -> Result<SocketAddrUnix, Errno> {
    match sun_path.iter().position(|&b| b == 0) {
        Some(0) => SocketAddrUnix::new_abstract_name(&sun_path[1..]).map_err(os),
        Some(n) => SocketAddrUnix::new(&sun_path[..n]).map_err(os),
        None => SocketAddrUnix::new(sun_path).map_err(os),
    }
}

/// A host socket address split into its WASI family, its address bytes (4, 16, or a 108-byte
/// `sun_path`) and its port.
fn split(addr: &SocketAddrAny) -> Result<(Family, Vec<u8>, u16), Errno> {
    let family = addr.address_family();
    if family == AddressFamily::INET {
        let a = SocketAddrV4::try_from(addr.clone()).map_err(os)?;
        Ok((Family::Inet4, a.ip().octets().to_vec(), a.port()))
    } else if family == AddressFamily::INET6 {
        let a = SocketAddrV6::try_from(addr.clone()).map_err(os)?;
        Ok((Family::Inet6, a.ip().octets().to_vec(), a.port()))
    } else if family == AddressFamily::UNIX {
        let a = SocketAddrUnix::try_from(addr.clone()).map_err(os)?;
        let mut path = vec![0u8; SUN_PATH];
        if let Some(p) = a.path_bytes() {
            let n = p.len().min(SUN_PATH);
            path[..n].copy_from_slice(&p[..n]);
        } else if let Some(name) = a.abstract_name() {
            let n = name.len().min(SUN_PATH - 1);
            path[1..=n].copy_from_slice(&name[..n]);
        }
        Ok((Family::Unix, path, 0))
    } else {
        Err(Errno::Nosys)
    }
}

// ---------------------------------------------------------------------------------------------
// Data transfer

/// Receives into the guest's iovec array; returns the byte count, the WASI `roflags` and the
/// sender's address when the socket reports one. Every guest pointer was checked by the caller
/// or is checked here before anything is received.
fn recv(
    ctx: &WasiCtx,
    mem: &mut GuestMemory<'_>,
    waiter: &Waiter,
    fd: u32,
    iovs_ptr: u32,
    iovs_len: u32,
    riflags: u32,
) -> Result<(u32, u16, Option<SocketAddrAny>), Errno> {
    if riflags & !(RIFLAGS_PEEK | RIFLAGS_WAITALL) != 0 || iovs_len > IOV_MAX {
        return Err(Errno::Inval);
    }
    let iovs = mem.iovecs(iovs_ptr, iovs_len)?;
    for &(buf, len) in &iovs {
        mem.slice(buf, len)?;
    }
    let sock = socket(ctx, fd)?;
    let mut flags = RecvFlags::empty();
    if riflags & RIFLAGS_PEEK != 0 {
        flags |= RecvFlags::PEEK;
    }
    if riflags & RIFLAGS_WAITALL != 0 {
        flags |= RecvFlags::WAITALL;
    }
    // With `recv_waitall` the receive itself may wait again for the rest.
    waiter.ready(sock.as_fd(), PollFlags::IN)?;
    let mut control = RecvAncillaryBuffer::default();
    let non_empty: Vec<(u32, u32)> = iovs.into_iter().filter(|&(_, len)| len > 0).collect();
    let msg = if let [(buf, len)] = non_empty[..] {
        // One buffer: receive straight into guest memory.
        let dst = mem.slice_mut(buf, len)?;
        rustix::net::recvmsg(sock, &mut [IoSliceMut::new(dst)], &mut control, flags).map_err(os)?
    } else {
        let total: u64 = non_empty.iter().map(|&(_, len)| u64::from(len)).sum();
        let mut bounce = vec![
            0u8;
            usize::try_from(total)
                .unwrap_or(usize::MAX)
                .min(RECV_BOUNCE_MAX)
        ];
        let msg = rustix::net::recvmsg(
            sock,
            &mut [IoSliceMut::new(&mut bounce)],
            &mut control,
            flags,
        )
        .map_err(os)?;
        let mut data = &bounce[..msg.bytes.min(bounce.len())];
        for (buf, len) in non_empty {
            if data.is_empty() {
                break;
            }
            let n = data.len().min(len as usize);
            mem.slice_mut(buf, n as u32)?.copy_from_slice(&data[..n]);
            data = &data[n..];
        }
        msg
    };
    let roflags = if msg.flags.contains(ReturnFlags::TRUNC) {
        ROFLAGS_TRUNCATED
    } else {
        0
    };
    Ok((msg.bytes as u32, roflags, msg.address))
}

/// Sends the guest's ciovec array (`iovs`: pointer, count), to `to` if given.
fn send(
    ctx: &WasiCtx,
    mem: &GuestMemory<'_>,
    waiter: &Waiter,
    fd: u32,
    (iovs_ptr, iovs_len): (u32, u32),
    siflags: u32,
    to: Option<SocketAddrAny>,
) -> Result<u32, Errno> {
    if siflags != 0 || iovs_len > IOV_MAX {
        return Err(Errno::Inval);
    }
    let iovs = mem.iovecs(iovs_ptr, iovs_len)?;
    let slices = iovs
        .into_iter()
        .map(|(buf, len)| mem.slice(buf, len).map(IoSlice::new))
        .collect::<Result<Vec<_>, Errno>>()?;
    let sock = socket(ctx, fd)?;
    // A send larger than the room in the socket's buffer may still wait for the peer.
    waiter.ready(sock.as_fd(), PollFlags::OUT)?;
    let mut control = SendAncillaryBuffer::default();
    let n = match to {
        None => rustix::net::sendmsg(sock, &slices, &mut control, SendFlags::NOSIGNAL),
        Some(to) => {
            rustix::net::sendmsg_addr(sock, &to, &slices, &mut control, SendFlags::NOSIGNAL)
        }
    }
    .map_err(os)?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

// ---------------------------------------------------------------------------------------------
// Host functions

fn sock_open(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> Result<(), Errno> {
    let out = a.u32(2);
    mem.slice(out, 4)?;
    let family = match a.u32(0) {
        1 => Family::Inet4,
        2 => Family::Inet6,
        3 => Family::Unix,
        _ => return Err(Errno::Inval),
    };
    if family == Family::Unix && !ctx.allow_af_unix {
        return Err(Errno::Nosys);
    }
    let kind = match a.u32(1) {
        1 => Kind::Dgram,
        2 => Kind::Stream,
        _ => return Err(Errno::Inval),
    };
    let domain = match family {
        Family::Inet4 => AddressFamily::INET,
        Family::Inet6 => AddressFamily::INET6,
        Family::Unix => AddressFamily::UNIX,
    };
    let ty = match kind {
        Kind::Dgram => SocketType::DGRAM,
        Kind::Stream => SocketType::STREAM,
    };
    let fd = rustix::net::socket_with(domain, ty, SocketFlags::CLOEXEC, None).map_err(os)?;
    let new = ctx.insert(Descriptor::Socket(Socket { fd, family, kind }))?;
    mem.write(out, new)
}

fn sock_bind(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    a: &Args<'_>,
    abi: Abi,
) -> Result<(), Errno> {
    let addr = target(mem, a.u32(1), a.u32(2), abi)?;
    rustix::net::bind(socket(ctx, a.u32(0))?, &addr).map_err(os)
}

fn sock_connect(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    a: &Args<'_>,
    waiter: &Waiter,
    abi: Abi,
) -> Result<(), Errno> {
    let addr = target(mem, a.u32(1), a.u32(2), abi)?;
    connect(socket(ctx, a.u32(0))?, &addr, waiter)
}

/// Connects `sock` to `addr`. When the call can be stopped, an IP socket connects
/// non-blocking and waits for the outcome through `waiter`, so a stop ends the wait; the guest
/// sees the same result as from a blocking connect. (A Unix socket connects at once or fails.)
fn connect(sock: &Socket, addr: &SocketAddrAny, waiter: &Waiter) -> Result<(), Errno> {
    use rustix::fs::{OFlags, fcntl_getfl, fcntl_setfl};
    let blocking = || rustix::net::connect(sock, addr).map_err(os);
    if !waiter.can_be_stopped() || sock.family == Family::Unix {
        return blocking();
    }
    let flags = fcntl_getfl(sock).map_err(os)?;
    if flags.contains(OFlags::NONBLOCK) {
        return blocking();
    }
    fcntl_setfl(sock, flags | OFlags::NONBLOCK).map_err(os)?;
    let r = rustix::net::connect(sock, addr);
    fcntl_setfl(sock, flags).map_err(os)?;
    match r {
        Err(rustix::io::Errno::INPROGRESS) => {
            waiter.poll(&mut vec![PollFd::new(sock, PollFlags::OUT)], None)?;
            match sockopt::socket_error(sock).map_err(os)? {
                Ok(()) => Ok(()),
                Err(e) => Err(os(e)),
            }
        }
        r => r.map_err(os),
    }
}

fn sock_listen(ctx: &mut WasiCtx, _: &mut GuestMemory<'_>, a: &Args<'_>) -> Result<(), Errno> {
    rustix::net::listen(socket(ctx, a.u32(0))?, a.i32(1)).map_err(os)
}

/// `sock_accept(fd, *fd)` (V1) and `sock_accept_v2(fd, fdflags, *fd)`, which is also
/// preview1's `sock_accept`.
fn sock_accept(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    waiter: &Waiter,
    fd: u32,
    fdflags: u32,
    out: u32,
) -> Result<(), Errno> {
    mem.slice(out, 4)?;
    if fdflags & !FDFLAGS_ALL != 0 {
        return Err(Errno::Inval);
    }
    let listener = socket(ctx, fd)?;
    let mut flags = SocketFlags::CLOEXEC;
    if fdflags & FDFLAGS_NONBLOCK != 0 {
        flags |= SocketFlags::NONBLOCK;
    }
    waiter.ready(listener.as_fd(), PollFlags::IN)?;
    let conn = rustix::net::accept_with(listener, flags).map_err(os)?;
    let (family, kind) = (listener.family, listener.kind);
    let new = ctx.insert(Descriptor::Socket(Socket {
        fd: conn,
        family,
        kind,
    }))?;
    mem.write(out, new)
}

/// `sock_recv(fd, ri_data, ri_data_len, ri_flags, *ro_datalen, *ro_flags)`.
fn sock_recv(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    a: &Args<'_>,
    waiter: &Waiter,
) -> Result<(), Errno> {
    let (len_out, flags_out) = (a.u32(4), a.u32(5));
    mem.slice(len_out, 4)?;
    mem.slice(flags_out, 2)?;
    let (n, roflags, _) = recv(ctx, mem, waiter, a.u32(0), a.u32(1), a.u32(2), a.u32(3))?;
    mem.write(len_out, n)?;
    mem.write(flags_out, roflags)
}

/// `sock_recv_from(fd, ri_data, ri_data_len, *addr, ri_flags, *ro_datalen, *ro_flags)` (V1)
/// and `sock_recv_from_v2(fd, ri_data, ri_data_len, *addr, ri_flags, *port, *ro_datalen,
/// *ro_flags)`.
fn sock_recv_from(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    a: &Args<'_>,
    waiter: &Waiter,
    abi: Abi,
) -> Result<(), Errno> {
    let (port_out, len_out, flags_out) = match abi {
        Abi::V1 => (None, a.u32(5), a.u32(6)),
        Abi::V2 => (Some(a.u32(5)), a.u32(6), a.u32(7)),
    };
    let (buf, buf_len) = address_buf(mem, a.u32(3))?;
    // V2 writes a 128-byte buffer as family + address; otherwise the buffer takes the bare
    // address bytes.
    let storage = abi == Abi::V2 && buf_len == ADDR_STORAGE;
    if abi == Abi::V2 && !matches!(buf_len, 4 | 16 | ADDR_STORAGE) {
        return Err(Errno::Inval);
    }
    if let Some(p) = port_out {
        mem.slice(p, 2)?;
    }
    mem.slice(len_out, 4)?;
    mem.slice(flags_out, 2)?;
    let (n, roflags, from) = recv(ctx, mem, waiter, a.u32(0), a.u32(1), a.u32(2), a.u32(4))?;
    let (addr_at, room) = if storage {
        (buf + 2, buf_len - 2)
    } else {
        (buf, buf_len)
    };
    let mut family = 0u16;
    if let Some(from) = from.filter(|f| f.address_family() != AddressFamily::UNSPEC) {
        let (fam, bytes, port) = split(&from)?;
        family = fam as u16;
        if bytes.len() as u32 <= room {
            mem.slice_mut(addr_at, bytes.len() as u32)?
                .copy_from_slice(&bytes);
        } else if fam == Family::Unix {
            return Err(Errno::Inval);
        }
        if let Some(p) = port_out
            && fam != Family::Unix
        {
            // WasmEdge writes `sin_port` as it is: network byte order.
            mem.slice_mut(p, 2)?.copy_from_slice(&port.to_be_bytes());
        }
    }
    if storage {
        mem.write(buf, family)?;
    }
    mem.write(len_out, n)?;
    mem.write(flags_out, roflags)
}

/// `sock_send(fd, si_data, si_data_len, si_flags, *so_datalen)`.
fn sock_send(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    a: &Args<'_>,
    waiter: &Waiter,
) -> Result<(), Errno> {
    let out = a.u32(4);
    mem.slice(out, 4)?;
    let n = send(
        ctx,
        mem,
        waiter,
        a.u32(0),
        (a.u32(1), a.u32(2)),
        a.u32(3),
        None,
    )?;
    mem.write(out, n)
}

/// `sock_send_to(fd, si_data, si_data_len, *addr, port, si_flags, *so_datalen)`, both ABIs.
fn sock_send_to(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    a: &Args<'_>,
    waiter: &Waiter,
    abi: Abi,
) -> Result<(), Errno> {
    let to = target(mem, a.u32(3), a.u32(4), abi)?;
    let out = a.u32(6);
    mem.slice(out, 4)?;
    let n = send(
        ctx,
        mem,
        waiter,
        a.u32(0),
        (a.u32(1), a.u32(2)),
        a.u32(5),
        Some(to),
    )?;
    mem.write(out, n)
}

/// `sock_shutdown(fd, sdflags)`. As in WasmEdge, no flag at all shuts down reading.
fn sock_shutdown(ctx: &mut WasiCtx, _: &mut GuestMemory<'_>, a: &Args<'_>) -> Result<(), Errno> {
    let how = match a.u32(1) {
        0 | SDFLAGS_RD => Shutdown::Read,
        SDFLAGS_WR => Shutdown::Write,
        3 => Shutdown::Both,
        _ => return Err(Errno::Inval),
    };
    rustix::net::shutdown(socket(ctx, a.u32(0))?, how).map_err(os)
}

/// `sock_getlocaladdr`/`sock_getpeeraddr`: V1 `(fd, *addr, *addr_type, *port)`, V2
/// `(fd, *addr, *port)`.
fn sock_addr(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    a: &Args<'_>,
    abi: Abi,
    peer: bool,
) -> Result<(), Errno> {
    let (buf, len) = address_buf(mem, a.u32(1))?;
    let (type_out, port_out) = match abi {
        Abi::V1 => (Some(a.u32(2)), a.u32(3)),
        Abi::V2 => (None, a.u32(2)),
    };
    match abi {
        Abi::V1 if len != 4 && len != 16 => return Err(Errno::Inval),
        Abi::V2 if len != ADDR_STORAGE => return Err(Errno::Inval),
        _ => {}
    }
    if let Some(t) = type_out {
        mem.slice(t, 4)?;
    }
    mem.slice(port_out, 4)?;
    let sock = socket(ctx, a.u32(0))?;
    let addr = if peer {
        rustix::net::getpeername(sock)
            .map_err(os)?
            .ok_or(Errno::Nosys)?
    } else {
        rustix::net::getsockname(sock).map_err(os)?
    };
    let (family, bytes, port) = split(&addr)?;
    let (addr_at, room) = match abi {
        Abi::V1 => (buf, len),
        Abi::V2 => (buf + 2, len - 2),
    };
    if bytes.len() as u32 > room {
        return Err(Errno::Nomem);
    }
    mem.slice_mut(addr_at, bytes.len() as u32)?
        .copy_from_slice(&bytes);
    match type_out {
        // V1 reports the family as 4 or 6, not as a WASI `address_family` (WasmEdge keeps this
        // for old guests).
        Some(t) => mem.write(t, if family == Family::Inet4 { 4u32 } else { 6 })?,
        None => mem.write(buf, family as u16)?,
    }
    mem.write(port_out, u32::from(port))
}

// ---------------------------------------------------------------------------------------------
// Socket options (`SOL_SOCKET` only, numbered as WasmEdge's `sock_opt_so`)

/// A `SOL_SOCKET` option.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum SockOpt {
    ReuseAddr,
    Type,
    Error,
    DontRoute,
    Broadcast,
    SndBuf,
    RcvBuf,
    KeepAlive,
    OobInline,
    Linger,
    RcvLowat,
    RcvTimeo,
    SndTimeo,
    AcceptConn,
    BindToDevice,
}

impl SockOpt {
    fn from_raw(level: u32, name: u32) -> Result<SockOpt, Errno> {
        if level != 0 {
            return Err(Errno::Inval);
        }
        use SockOpt::*;
        Ok(match name {
            0 => ReuseAddr,
            1 => Type,
            2 => Error,
            3 => DontRoute,
            4 => Broadcast,
            5 => SndBuf,
            6 => RcvBuf,
            7 => KeepAlive,
            8 => OobInline,
            9 => Linger,
            10 => RcvLowat,
            11 => RcvTimeo,
            12 => SndTimeo,
            13 => AcceptConn,
            14 => BindToDevice,
            _ => return Err(Errno::Inval),
        })
    }
}

/// The option's value as the bytes the host's `getsockopt` gives: an `int`, a
/// `struct linger` (two `int`s) or a 64-bit `struct timeval` (two `i64`s), all little-endian.
/// `SO_TYPE` and `SO_ERROR` are translated to WASI numbers, as WasmEdge does.
fn get_opt(fd: BorrowedFd<'_>, opt: SockOpt) -> Result<Vec<u8>, Errno> {
    let int = |v: i32| v.to_le_bytes().to_vec();
    let flag = |r: rustix::io::Result<bool>| r.map(|b| int(i32::from(b))).map_err(os);
    let size = |r: rustix::io::Result<usize>| {
        r.map(|n| int(i32::try_from(n).unwrap_or(i32::MAX)))
            .map_err(os)
    };
    let timeval = |r: rustix::io::Result<Option<Duration>>| {
        r.map(|d| {
            let d = d.unwrap_or_default();
            let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
            [
                secs.to_le_bytes(),
                i64::from(d.subsec_micros()).to_le_bytes(),
            ]
            .concat()
        })
        .map_err(os)
    };
    match opt {
        SockOpt::ReuseAddr => flag(sockopt::socket_reuseaddr(fd)),
        SockOpt::Broadcast => flag(sockopt::socket_broadcast(fd)),
        SockOpt::KeepAlive => flag(sockopt::socket_keepalive(fd)),
        SockOpt::OobInline => flag(sockopt::socket_oobinline(fd)),
        SockOpt::AcceptConn => flag(sockopt::socket_acceptconn(fd)),
        SockOpt::SndBuf => size(sockopt::socket_send_buffer_size(fd)),
        SockOpt::RcvBuf => size(sockopt::socket_recv_buffer_size(fd)),
        SockOpt::RcvTimeo => timeval(sockopt::socket_timeout(fd, Timeout::Recv)),
        SockOpt::SndTimeo => timeval(sockopt::socket_timeout(fd, Timeout::Send)),
        SockOpt::Type => {
            let ty = sockopt::socket_type(fd).map_err(os)?;
            Ok(int(if ty == SocketType::DGRAM {
                Kind::Dgram as i32
            } else if ty == SocketType::STREAM {
                Kind::Stream as i32
            } else {
                0
            }))
        }
        SockOpt::Error => {
            let err = match sockopt::socket_error(fd).map_err(os)? {
                Ok(()) => Errno::Success,
                Err(e) => os(e),
            };
            Ok(int(err as i32))
        }
        SockOpt::Linger => {
            let linger = sockopt::socket_linger(fd).map_err(os)?;
            let (on, secs) = match linger {
                Some(d) => (1, i32::try_from(d.as_secs()).unwrap_or(i32::MAX)),
                None => (0, 0),
            };
            Ok([i32::to_le_bytes(on), secs.to_le_bytes()].concat())
        }
        SockOpt::DontRoute | SockOpt::RcvLowat | SockOpt::BindToDevice => Err(Errno::Notsup),
    }
}

/// Sets the option from the guest's bytes, read as `get_opt` writes them. Too few bytes is
/// `inval`, as the host kernel answers.
fn set_opt(fd: BorrowedFd<'_>, opt: SockOpt, value: &[u8]) -> Result<(), Errno> {
    let int = || -> Result<i32, Errno> {
        Ok(i32::from_le_bytes(
            value
                .get(..4)
                .ok_or(Errno::Inval)?
                .try_into()
                .map_err(|_| Errno::Inval)?,
        ))
    };
    let i64_at = |i: usize| -> Result<i64, Errno> {
        let b = value.get(i..i + 8).ok_or(Errno::Inval)?;
        Ok(i64::from_le_bytes(b.try_into().map_err(|_| Errno::Inval)?))
    };
    let timeout = || -> Result<Option<Duration>, Errno> {
        let (secs, usecs) = (i64_at(0)?, i64_at(8)?);
        if !(0..1_000_000).contains(&usecs) {
            return Err(Errno::Dom);
        }
        let d = Duration::from_secs(u64::try_from(secs).unwrap_or(0))
            + Duration::from_micros(usecs as u64);
        Ok(if d.is_zero() { None } else { Some(d) })
    };
    let buffer = || -> Result<usize, Errno> { Ok(usize::try_from(int()?).unwrap_or(0)) };
    match opt {
        SockOpt::ReuseAddr => sockopt::set_socket_reuseaddr(fd, int()? != 0),
        SockOpt::Broadcast => sockopt::set_socket_broadcast(fd, int()? != 0),
        SockOpt::KeepAlive => sockopt::set_socket_keepalive(fd, int()? != 0),
        SockOpt::OobInline => sockopt::set_socket_oobinline(fd, int()? != 0),
        SockOpt::SndBuf => sockopt::set_socket_send_buffer_size(fd, buffer()?),
        SockOpt::RcvBuf => sockopt::set_socket_recv_buffer_size(fd, buffer()?),
        SockOpt::RcvTimeo => sockopt::set_socket_timeout(fd, Timeout::Recv, timeout()?),
        SockOpt::SndTimeo => sockopt::set_socket_timeout(fd, Timeout::Send, timeout()?),
        SockOpt::Linger => {
            let on = int()?;
            let secs = i32::from_le_bytes(
                value
                    .get(4..8)
                    .ok_or(Errno::Inval)?
                    .try_into()
                    .map_err(|_| Errno::Inval)?,
            );
            let linger = (on != 0).then(|| Duration::from_secs(u64::try_from(secs).unwrap_or(0)));
            sockopt::set_socket_linger(fd, linger)
        }
        SockOpt::Type | SockOpt::Error | SockOpt::AcceptConn => return Err(Errno::Noprotoopt),
        SockOpt::DontRoute | SockOpt::RcvLowat | SockOpt::BindToDevice => {
            return Err(Errno::Notsup);
        }
    }
    .map_err(os)
}

/// `sock_getsockopt(fd, level, name, *value, *value_len)`: `value_len` holds the room at
/// `value` and receives the size written (the value is cut to the room, as `getsockopt(2)`
/// does).
fn sock_getsockopt(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    a: &Args<'_>,
) -> Result<(), Errno> {
    let opt = SockOpt::from_raw(a.u32(1), a.u32(2))?;
    let (value_ptr, size_ptr) = (a.u32(3), a.u32(4));
    let room = mem.read::<u32>(size_ptr)?;
    mem.slice(value_ptr, room)?;
    let value = get_opt(socket(ctx, a.u32(0))?.as_fd(), opt)?;
    let n = value.len().min(room as usize);
    mem.slice_mut(value_ptr, n as u32)?
        .copy_from_slice(&value[..n]);
    mem.write(size_ptr, n as u32)
}

/// `sock_setsockopt(fd, level, name, *value, value_len)`.
fn sock_setsockopt(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    a: &Args<'_>,
) -> Result<(), Errno> {
    let opt = SockOpt::from_raw(a.u32(1), a.u32(2))?;
    let value = mem.slice(a.u32(3), a.u32(4))?;
    set_opt(socket(ctx, a.u32(0))?.as_fd(), opt, value)
}

// ---------------------------------------------------------------------------------------------
// sock_getaddrinfo

/// WasmEdge's extra errnos for `sock_getaddrinfo` (`EAI_*`), after WASI's 0–76.
mod eai {
    pub(super) const BADFLAGS: u16 = 79;
    pub(super) const FAMILY: u16 = 81;
    pub(super) const MEMORY: u16 = 82;
    pub(super) const NONAME: u16 = 84;
    pub(super) const SERVICE: u16 = 85;
    pub(super) const SOCKTYPE: u16 = 86;
}

/// `aiflags`: `ai_passive`, `ai_canonname`, `ai_numerichost`, `ai_numericserv`, and all seven.
const AI_PASSIVE: u16 = 1;
const AI_CANONNAME: u16 = 2;
const AI_NUMERICHOST: u16 = 4;
const AI_NUMERICSERV: u16 = 8;
const AI_ALL_FLAGS: u16 = 0x7f;
/// `protocol`: `ipproto_ip`, `ipproto_tcp`, `ipproto_udp`.
const PROTO_TCP: u8 = 1;
const PROTO_UDP: u8 = 2;

/// A few service names from `/etc/services`, for guests that look a port up by name.
const SERVICES: &[(&str, u16)] = &[
    ("ftp", 21),
    ("ssh", 22),
    ("telnet", 23),
    ("smtp", 25),
    ("domain", 53),
    ("http", 80),
    ("pop3", 110),
    ("ntp", 123),
    ("imap", 143),
    ("https", 443),
    ("mysql", 3306),
    ("postgresql", 5432),
    ("redis", 6379),
];

/// One guest `addrinfo` entry of the result chain the guest prepared.
struct AddrinfoSlot {
    at: u32,
    sockaddr: u32,
    sa_data: u32,
    canonname: u32,
    canonname_len: u32,
}

/// The bytes up to the first NUL (the Rust guest library passes NUL-terminated strings with
/// the NUL counted in the length).
fn c_str(b: &[u8]) -> &[u8] {
    b.iter().position(|&c| c == 0).map_or(b, |n| &b[..n])
}

/// `sock_getaddrinfo(node, node_len, service, service_len, *hints, *res, max_res_len,
/// *res_len)`. `*res` holds the address of the first of `max_res_len` `addrinfo` structs
/// (28 bytes: flags u16 @0, family u8 @2, socktype u8 @3, protocol u8 @4, addrlen u32 @8,
/// addr @12, canonname @16, canonname_len u32 @20, next @24) that the guest chained through
/// `next`, each `addr` pointing at a `sockaddr` (family u8 @0, sa_data_len u32 @4, sa_data @8).
/// Returns a WASI or `EAI_*` errno.
fn sock_getaddrinfo(mem: &mut GuestMemory<'_>, a: &Args<'_>) -> Result<(), u16> {
    let fault = |_| Errno::Fault as u16;
    let node = mem.slice(a.u32(0), a.u32(1)).map_err(fault)?.to_vec();
    let service = mem.slice(a.u32(2), a.u32(3)).map_err(fault)?.to_vec();
    let hints = a.u32(4);
    mem.slice(hints, 28).map_err(fault)?;
    let res_ptr = a.u32(5);
    let max = a.u32(6);
    let len_out = a.u32(7);
    let first = mem.read::<u32>(res_ptr).map_err(fault)?;
    mem.slice(len_out, 4).map_err(fault)?;
    if node.is_empty() && service.is_empty() {
        return Err(eai::NONAME);
    }
    if max < 1 {
        return Err(eai::MEMORY);
    }
    let flags = mem.read::<u16>(hints).map_err(fault)?;
    let family = mem.read::<u8>(hints + 2).map_err(fault)?;
    let socktype = mem.read::<u8>(hints + 3).map_err(fault)?;
    let protocol = mem.read::<u8>(hints + 4).map_err(fault)?;
    if flags & !AI_ALL_FLAGS != 0 || (flags & AI_CANONNAME != 0 && node.is_empty()) {
        return Err(eai::BADFLAGS);
    }
    if family > 2 {
        return Err(eai::FAMILY);
    }
    if protocol > 2 || socktype > 2 {
        return Err(Errno::Nosys as u16);
    }
    // The guest's result chain, checked before any lookup.
    let mut slots = Vec::new();
    let mut entry = first;
    for _ in 0..max {
        let field = |off: u32| -> Result<u32, u16> {
            mem.read::<u32>(at(entry, off).map_err(fault)?)
                .map_err(fault)
        };
        mem.slice(entry, 28).map_err(fault)?;
        let sockaddr = field(12)?;
        let (canonname, canonname_len) = (field(16)?, field(20)?);
        mem.slice(sockaddr, 12).map_err(fault)?;
        let sa_data = mem.read::<u32>(sockaddr + 8).map_err(fault)?;
        let sa_data_len = mem.read::<u32>(sockaddr + 4).map_err(fault)?;
        mem.slice(sa_data, sa_data_len).map_err(fault)?;
        mem.slice(canonname, canonname_len).map_err(fault)?;
        slots.push(AddrinfoSlot {
            at: entry,
            sockaddr,
            sa_data,
            canonname,
            canonname_len,
        });
        entry = field(24)?;
    }

    let node = std::str::from_utf8(c_str(&node)).map_err(|_| eai::NONAME)?;
    let service = std::str::from_utf8(c_str(&service)).map_err(|_| eai::SERVICE)?;
    let port = if service.is_empty() {
        0
    } else if let Ok(port) = service.parse::<u16>() {
        port
    } else if flags & AI_NUMERICSERV != 0 {
        return Err(eai::NONAME);
    } else {
        SERVICES
            .iter()
            .find(|(name, _)| *name == service)
            .map(|&(_, p)| p)
            .ok_or(eai::SERVICE)?
    };
    let mut ips: Vec<IpAddr> = if node.is_empty() {
        if flags & AI_PASSIVE != 0 {
            vec![Ipv4Addr::UNSPECIFIED.into(), Ipv6Addr::UNSPECIFIED.into()]
        } else {
            vec![Ipv4Addr::LOCALHOST.into(), Ipv6Addr::LOCALHOST.into()]
        }
    } else if let Ok(ip) = node.parse::<IpAddr>() {
        vec![ip]
    } else if flags & AI_NUMERICHOST != 0 {
        return Err(eai::NONAME);
    } else {
        let found = (node, port).to_socket_addrs().map_err(|_| eai::NONAME)?;
        let mut ips: Vec<IpAddr> = Vec::new();
        for ip in found.map(|s| s.ip()) {
            if !ips.contains(&ip) {
                ips.push(ip);
            }
        }
        ips
    };
    ips.retain(|ip| match family {
        1 => ip.is_ipv4(),
        2 => ip.is_ipv6(),
        _ => true,
    });
    if ips.is_empty() {
        return Err(eai::NONAME);
    }
    let kinds: &[(u8, u8)] = match (socktype, protocol) {
        (0, 0) => &[
            (Kind::Stream as u8, PROTO_TCP),
            (Kind::Dgram as u8, PROTO_UDP),
        ],
        (0, PROTO_TCP) | (2, 0 | PROTO_TCP) => &[(Kind::Stream as u8, PROTO_TCP)],
        (0, PROTO_UDP) | (1, 0 | PROTO_UDP) => &[(Kind::Dgram as u8, PROTO_UDP)],
        _ => return Err(eai::SOCKTYPE),
    };
    let results = ips
        .iter()
        .flat_map(|ip| kinds.iter().map(move |&k| (*ip, k)));
    let mut written = 0u32;
    for (slot, (ip, (socktype, protocol))) in slots.iter().zip(results) {
        let w = |mem: &mut GuestMemory<'_>, off: u32, bytes: &[u8]| -> Result<(), u16> {
            mem.slice_mut(at(slot.at, off).map_err(fault)?, bytes.len() as u32)
                .map_err(fault)?
                .copy_from_slice(bytes);
            Ok(())
        };
        let (fam, addrlen, sa_data) = match SocketAddr::new(ip, port) {
            SocketAddr::V4(v4) => {
                let mut d = vec![0u8; 14];
                d[..2].copy_from_slice(&v4.port().to_be_bytes());
                d[2..6].copy_from_slice(&v4.ip().octets());
                (Family::Inet4, 16u32, d)
            }
            SocketAddr::V6(v6) => {
                let mut d = vec![0u8; 26];
                d[..2].copy_from_slice(&v6.port().to_be_bytes());
                d[2..6].copy_from_slice(&v6.flowinfo().to_be_bytes());
                d[6..22].copy_from_slice(&v6.ip().octets());
                d[22..].copy_from_slice(&v6.scope_id().to_le_bytes());
                (Family::Inet6, 28u32, d)
            }
        };
        w(mem, 0, &flags.to_le_bytes())?;
        w(mem, 2, &[fam as u8, socktype, protocol])?;
        w(mem, 8, &addrlen.to_le_bytes())?;
        // The canonical name, only on the first entry and only where it fits with its NUL.
        let canon =
            (written == 0 && flags & AI_CANONNAME != 0 && node.len() < slot.canonname_len as usize)
                .then_some(node.as_bytes());
        if let Some(name) = canon {
            let dst = mem
                .slice_mut(slot.canonname, name.len() as u32 + 1)
                .map_err(fault)?;
            dst[..name.len()].copy_from_slice(name);
            dst[name.len()] = 0;
        }
        w(
            mem,
            20,
            &(canon.map_or(0, <[u8]>::len) as u32).to_le_bytes(),
        )?;
        // The sockaddr: as WasmEdge, the whole `sa_data` is written (26 bytes for IPv6) even
        // where the guest declared less room; it is bounds-checked against guest memory.
        mem.write(slot.sockaddr, fam as u8).map_err(fault)?;
        mem.write(slot.sockaddr + 4, sa_data.len() as u32)
            .map_err(fault)?;
        mem.slice_mut(slot.sa_data, sa_data.len() as u32)
            .map_err(fault)?
            .copy_from_slice(&sa_data);
        written += 1;
    }
    mem.write(len_out, written).map_err(fault)
}

// ---------------------------------------------------------------------------------------------
// Registration and the V1/V2 fallback

/// The socket functions WasmEdge defines in both ABIs, with their V1 and V2 parameter counts
/// (every parameter is an `i32`, every result one `i32` errno).
const DUAL: [(&str, usize, usize); 11] = [
    ("sock_open", 3, 3),
    ("sock_bind", 3, 3),
    ("sock_connect", 3, 3),
    ("sock_listen", 2, 2),
    ("sock_accept", 2, 3),
    ("sock_recv", 6, 6),
    ("sock_recv_from", 7, 8),
    ("sock_send", 5, 5),
    ("sock_send_to", 7, 7),
    ("sock_getlocaladdr", 4, 3),
    ("sock_getpeeraddr", 4, 3),
];

/// The module name under which the V1 functions are also defined, so that
/// [`adapt_imports`] can put them back after giving an earlier module the V2 ones.
const V1_MODULE: &str = "wedge:wasi_snapshot_preview1/v1";

fn errno_type(params: usize) -> FuncType {
    FuncType::new(std::iter::repeat_n(I32, params), [I32])
}

/// For each socket function `module` imports from `wasi_snapshot_preview1` under its plain
/// name, defines that name in `linker` as the function whose ABI the import's type matches:
/// the V1 function, or the `_v2` one when only that matches (WasmEdge's fallback at
/// instantiation). Call it after [`crate::add_to_linker`] and before instantiating; imports
/// that match neither are left for instantiation to report. The linker's shadowing is turned
/// on for the redefinitions and left off afterwards.
pub fn adapt_imports<T>(linker: &mut Linker<T>, module: &Module) -> Result<(), Error> {
    for import in module.imports() {
        if import.module != MODULE {
            continue;
        }
        let ExternType::Func(ty) = &import.ty else {
            continue;
        };
        let Some(&(name, v1, v2)) = DUAL.iter().find(|(name, _, _)| *name == import.name) else {
            continue;
        };
        let source = if *ty == errno_type(v1) {
            linker.get(V1_MODULE, name)
        } else if *ty == errno_type(v2) {
            linker.get(MODULE, &format!("{name}_v2"))
        } else {
            None
        };
        if let Some(func) = source {
            linker.allow_shadowing(true);
            let defined = linker.define(MODULE, name, func).map(|_| ());
            linker.allow_shadowing(false);
            defined?;
        }
    }
    Ok(())
}

/// Defines `name` as `f`, an errno function of `params` `i32`s.
fn define<T: 'static>(
    r: &mut Registrar<'_, T>,
    name: &str,
    params: usize,
    f: crate::ErrnoFn,
) -> Result<(), Error> {
    r.func(name, &vec![I32; params], f)
}

/// Defines `name` as `f`, an errno function of `params` `i32`s that may block.
fn define_blocking<T: 'static>(
    r: &mut Registrar<'_, T>,
    name: &str,
    params: usize,
    f: crate::BlockingFn,
) -> Result<(), Error> {
    r.blocking(name, &vec![I32; params], f)
}

pub(crate) fn register<T: 'static>(r: &mut Registrar<'_, T>) -> Result<(), Error> {
    // V1 under the plain names.
    define(r, "sock_open", 3, sock_open)?;
    define(r, "sock_bind", 3, |c, m, a| sock_bind(c, m, a, Abi::V1))?;
    define_blocking(r, "sock_connect", 3, |c, m, a, w| {
        sock_connect(c, m, a, w, Abi::V1)
    })?;
    define(r, "sock_listen", 2, sock_listen)?;
    define_blocking(r, "sock_accept", 2, |c, m, a, w| {
        sock_accept(c, m, w, a.u32(0), 0, a.u32(1))
    })?;
    define_blocking(r, "sock_recv", 6, sock_recv)?;
    define_blocking(r, "sock_recv_from", 7, |c, m, a, w| {
        sock_recv_from(c, m, a, w, Abi::V1)
    })?;
    define_blocking(r, "sock_send", 5, sock_send)?;
    define_blocking(r, "sock_send_to", 7, |c, m, a, w| {
        sock_send_to(c, m, a, w, Abi::V1)
    })?;
    define(r, "sock_getlocaladdr", 4, |c, m, a| {
        sock_addr(c, m, a, Abi::V1, false)
    })?;
    define(r, "sock_getpeeraddr", 4, |c, m, a| {
        sock_addr(c, m, a, Abi::V1, true)
    })?;
    // V2.
    define(r, "sock_open_v2", 3, sock_open)?;
    define(r, "sock_bind_v2", 3, |c, m, a| sock_bind(c, m, a, Abi::V2))?;
    define_blocking(r, "sock_connect_v2", 3, |c, m, a, w| {
        sock_connect(c, m, a, w, Abi::V2)
    })?;
    define(r, "sock_listen_v2", 2, sock_listen)?;
    define_blocking(r, "sock_accept_v2", 3, |c, m, a, w| {
        sock_accept(c, m, w, a.u32(0), a.u32(1), a.u32(2))
    })?;
    define_blocking(r, "sock_recv_v2", 6, sock_recv)?;
    define_blocking(r, "sock_recv_from_v2", 8, |c, m, a, w| {
        sock_recv_from(c, m, a, w, Abi::V2)
    })?;
    define_blocking(r, "sock_send_v2", 5, sock_send)?;
    define_blocking(r, "sock_send_to_v2", 7, |c, m, a, w| {
        sock_send_to(c, m, a, w, Abi::V2)
    })?;
    define(r, "sock_getlocaladdr_v2", 3, |c, m, a| {
        sock_addr(c, m, a, Abi::V2, false)
    })?;
    define(r, "sock_getpeeraddr_v2", 3, |c, m, a| {
        sock_addr(c, m, a, Abi::V2, true)
    })?;
    // One ABI only.
    define(r, "sock_shutdown", 2, sock_shutdown)?;
    define(r, "sock_getsockopt", 5, sock_getsockopt)?;
    define(r, "sock_setsockopt", 5, sock_setsockopt)?;
    r.raw(
        "sock_getaddrinfo",
        errno_type(8),
        |mut caller, _, args, results| {
            let code = match caller.get_export("memory").and_then(Extern::into_memory) {
                None => Errno::Fault as u16,
                Some(memory) => {
                    let (bytes, _) = memory.data_and_store_mut(&mut caller);
                    sock_getaddrinfo(&mut GuestMemory::new(bytes), &Args(args))
                        .err()
                        .unwrap_or(0)
                }
            };
            results[0] = Val::I32(i32::from(code));
            Ok(())
        },
    )?;
    // The V1 functions again under a private module name, for `adapt_imports`.
    for (name, _, _) in DUAL {
        if let Some(func) = r.linker.get(MODULE, name) {
            r.linker.define(V1_MODULE, name, func)?;
        }
    }
    Ok(())
}

"""Removable drives the technician can export to, and copying a file onto one safely.

Linux: the mounted filesystems in `/proc/self/mountinfo` under `/media/<user>/`,
`/run/media/<user>/` (where udisks mounts what is plugged in) or `/mnt/`, kept when the block
device is removable (`/sys/block/<disk>/removable`) or sits on a USB bus, or when udisks mounted
it (under /media or /run/media). Windows: the drive letters `GetDriveTypeW` calls
DRIVE_REMOVABLE.

`deliver` copies a finished file onto a drive as `<name>.part` and renames it only when every
byte is written and synced, so what the technician carries away is whole or not there at all.
Each way it fails (drive pulled out, full, read-only) is named in plain Chinese; the partial
file is removed.
"""
from __future__ import annotations

import errno
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.errors import UserFacingError
from kiosk.texts import QT_TRANSLATE_NOOP

# filesystems a USB stick or card can carry; anything else (proc, tmpfs, overlay…) is not a drive
DRIVE_FSTYPES = frozenset({"vfat", "exfat", "ntfs", "ntfs3", "fuseblk", "ext2", "ext3", "ext4", "xfs",
                           "btrfs", "f2fs", "udf", "iso9660", "hfsplus"})
MOUNT_ROOTS = ("/media/", "/run/media/", "/mnt/")
UDISKS_ROOTS = ("/media/", "/run/media/")


@dataclass(frozen=True)
class Drive:
    path: Path  # where files go (the mount point, or "E:\\")
    label: str  # what the technician recognises: volume label or folder name
    device: str  # /dev/sdb1, or the drive letter
    read_only: bool = False
    free_bytes: int | None = None


def size_text(n: int) -> str:
    """A drive's free space as people read it: GB above one, else MB."""
    if n >= 1 << 30:
        return f"{n / (1 << 30):.1f} GB"
    return f"{n / (1 << 20):.0f} MB"


def _unescape(field: str) -> str:
    """mountinfo writes space, tab, newline and backslash as octal escapes (\\040…)."""
    out, i = [], 0
    while i < len(field):
        if field[i] == "\\" and i + 3 < len(field) and field[i + 1:i + 4].isdigit():
            out.append(chr(int(field[i + 1:i + 4], 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def _removable(sys_root: Path, major_minor: str) -> bool:
    """The block device is removable media, or hangs off a USB bus (USB disks say removable=0)."""
    node = sys_root / "dev" / "block" / major_minor
    try:
        real = node.resolve(strict=True)
    except OSError:
        return False
    disk = real.parent if (real / "partition").exists() else real
    try:
        flag = (disk / "removable").read_text().strip() == "1"
    except OSError:
        flag = False
    return flag or "/usb" in str(real)


def linux_drives(mountinfo: Path = Path("/proc/self/mountinfo"), sys_root: Path = Path("/sys"),
                 *, free: Callable[[Path], int | None] | None = None) -> list[Drive]:
    """Removable filesystems mounted now, read from `mountinfo` and the sysfs tree at `sys_root`."""
    try:
        lines = mountinfo.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    drives: list[Drive] = []
    seen: set[str] = set()
    for line in lines:
        left, sep, right = line.partition(" - ")
        if not sep:
            continue
        f = left.split()
        r = right.split()
        if len(f) < 6 or len(r) < 2:
            continue
        major_minor, mount_point, options = f[2], _unescape(f[4]), f[5].split(",")
        fstype, source = r[0], _unescape(r[1])
        if fstype not in DRIVE_FSTYPES or not mount_point.startswith(MOUNT_ROOTS) or mount_point in seen:
            continue
        if not (mount_point.startswith(UDISKS_ROOTS) or _removable(sys_root, major_minor)):
            continue
        seen.add(mount_point)
        path = Path(mount_point)
        drives.append(Drive(path=path, label=path.name or mount_point, device=source,
                            read_only="ro" in options, free_bytes=(free or _free)(path)))
    return drives


def _free(path: Path) -> int | None:
    try:
        return shutil.disk_usage(path).free
    except OSError:
        return None


def windows_drives() -> list[Drive]:
    """Drive letters Windows calls removable (USB sticks, card readers).

    Written against the Win32 documentation (GetLogicalDrives, GetDriveTypeW,
    GetVolumeInformationW); not yet run on a Windows machine."""
    if sys.platform != "win32":
        return []
    import ctypes

    drive_removable = 2
    k32 = ctypes.windll.kernel32
    mask = k32.GetLogicalDrives()
    drives: list[Drive] = []
    for i in range(26):
        if not mask & (1 << i):
            continue
        root = f"{chr(ord('A') + i)}:\\"
        if k32.GetDriveTypeW(ctypes.c_wchar_p(root)) != drive_removable:
            continue
        name = ctypes.create_unicode_buffer(261)
        flags = ctypes.c_ulong(0)
        ok = k32.GetVolumeInformationW(ctypes.c_wchar_p(root), name, 261, None, None, ctypes.byref(flags), None, 0)
        if not ok:  # a card reader with no card in it
            continue
        read_only = bool(flags.value & 0x00080000)  # FILE_READ_ONLY_VOLUME
        drives.append(Drive(path=Path(root), label=name.value or root[:2], device=root[:2], read_only=read_only,
                            free_bytes=_free(Path(root))))
    return drives


def removable_drives() -> list[Drive]:
    """The removable drives present now, on this system."""
    return windows_drives() if sys.platform == "win32" else linux_drives()


class ExportError(UserFacingError):
    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message, detail=detail, code="export_failed")


_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}
_GONE = {errno.ENOENT, errno.ENODEV, errno.EIO, errno.ENXIO, errno.ESTALE, errno.ENOTDIR, errno.ENOMEDIUM}


def explain(exc: OSError) -> str:
    """What went wrong writing to a drive, in words a technician acts on."""
    if exc.errno in _FULL:
        return QT_TRANSLATE_NOOP("kiosk", "U盘空间不足，文件没有导出。请换一个U盘，或删除U盘上不需要的文件后再试。")
    if exc.errno in _READ_ONLY:
        return QT_TRANSLATE_NOOP("kiosk", "U盘是只读的（或没有写入权限），文件没有导出。请检查U盘侧面的写保护开关，或换一个U盘。")
    if exc.errno in _GONE:
        return QT_TRANSLATE_NOOP("kiosk", "U盘已拔出或无法读写，文件没有导出完整。请重新插好U盘后再导出。")
    return QT_TRANSLATE_NOOP("kiosk", "写入U盘出错，文件没有导出。请换一个U盘再试。")


def deliver(src: Path, dest_dir: Path, *, progress: Callable[[int, int], None] | None = None,
            chunk: int = 1 << 20) -> Path:
    """Copy `src` into `dest_dir` whole or not at all; returns the copy's path.

    Written as `<name>.part`, synced, then renamed; on any failure the part is removed and an
    `ExportError` says why in plain Chinese. `progress(done, total)` after each chunk.
    """
    if not dest_dir.is_dir():
        raise ExportError(QT_TRANSLATE_NOOP("kiosk", "U盘已拔出或无法读写，文件没有导出。请重新插好U盘后再导出。"), detail=f"{dest_dir} is gone")
    final = dest_dir / src.name
    part = dest_dir / (src.name + ".part")
    total = src.stat().st_size
    done = 0
    try:
        with src.open("rb") as fin, part.open("wb") as fout:
            while block := fin.read(chunk):
                fout.write(block)
                done += len(block)
                if progress:
                    progress(done, total)
            fout.flush()
            os.fsync(fout.fileno())
        os.replace(part, final)
        if os.name == "posix":  # the rename itself reaches the stick before we say "done"
            fd = os.open(dest_dir, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    except OSError as exc:
        try:
            part.unlink(missing_ok=True)
        except OSError:
            pass  # the drive is gone: so is the part
        raise ExportError(explain(exc), detail=f"{final}: {exc}") from None
    return final

package keel.storage.overlay.internal;

/**
 * Names of the filesystems a store can sit on, by the {@code f_type} magic statfs(2) reports, spelled as Docker's
 * {@code docker info} spells them ("Backing Filesystem").
 */
enum BackingFilesystem {
    EXTFS(0xEF53L, "extfs"),
    XFS(0x58465342L, "xfs"),
    BTRFS(0x9123683EL, "btrfs"),
    TMPFS(0x01021994L, "tmpfs"),
    OVERLAYFS(0x794C7630L, "overlayfs"),
    AUFS(0x61756673L, "aufs"),
    ECRYPTFS(0xF15FL, "ecryptfs"),
    ZFS(0x2FC12FC1L, "zfs"),
    F2FS(0xF2F52010L, "f2fs"),
    NFS(0x6969L, "nfs"),
    SQUASHFS(0x73717368L, "squashfs"),
    RAMFS(0x858458F6L, "ramfs"),
    FUSE(0x65735546L, "fuse"),
    CIFS(0xFF534D42L, "cifs"),
    UNKNOWN(-1L, "<unknown>");

    private final long magic;
    private final String displayName;

    BackingFilesystem(long magic, String displayName) {
        this.magic = magic;
        this.displayName = displayName;
    }

    static BackingFilesystem of(long fType) {
        long magic = fType & 0xFFFFFFFFL;
        for (BackingFilesystem fs : values()) {
            if (fs.magic == magic) {
                return fs;
            }
        }
        return UNKNOWN;
    }

    String displayName() {
        return displayName;
    }
}

package keel.storage.overlay.internal;

import java.util.Map;

/**
 * The slice of Linux the overlay driver needs, one method per system call and named after it, so that the code
 * above reads like mount(2), fsopen(2), statfs(2). Failures throw {@link ErrnoException} with the call's errno; a
 * call the C library does not have fails with {@code ENOSYS}, as the kernel would.
 */
public interface OverlayKernel {

    long MS_RDONLY = 1, MS_REMOUNT = 32, MS_BIND = 4096, MS_REC = 16384;
    int MNT_DETACH = 2;
    int CLONE_FS = 0x200;
    int FSOPEN_CLOEXEC = 1;
    int FSCONFIG_SET_FLAG = 0, FSCONFIG_SET_STRING = 1, FSCONFIG_CMD_CREATE = 6;
    int FSMOUNT_CLOEXEC = 1;
    int MOUNT_ATTR_RDONLY = 1;
    int MOVE_MOUNT_F_EMPTY_PATH = 4;
    int AT_FDCWD = -100;
    /** readdir(3)'s d_type when the filesystem does not fill it in. */
    int DT_UNKNOWN = 0;

    /** mount(2); {@code source}, {@code fstype} and {@code data} may be null. */
    void mount(String source, String target, String fstype, long flags, String data) throws ErrnoException;

    /** umount2(2). */
    void umount2(String target, int flags) throws ErrnoException;

    /** fsopen(2): a filesystem context, as a file descriptor. */
    int fsopen(String fsname, int flags) throws ErrnoException;

    /** fsconfig(2); {@code key} and {@code value} may be null (e.g. for {@link #FSCONFIG_CMD_CREATE}). */
    void fsconfig(int fd, int cmd, String key, String value, int aux) throws ErrnoException;

    /** fsmount(2): a detached mount of the context's superblock, as a file descriptor. */
    int fsmount(int fd, int flags, int attrFlags) throws ErrnoException;

    /** move_mount(2). */
    void moveMount(int fromDirfd, String fromPath, int toDirfd, String toPath, int flags) throws ErrnoException;

    /**
     * The messages a filesystem context logged (read(2) on its descriptor until none are left): the kernel's
     * explanation of why fsconfig failed, e.g. {@code "e overlay: failed to resolve 'l/X': -2"}.
     */
    String fsContextMessages(int fd);

    /** close(2); errors are ignored, as nothing can be done about them. */
    void close(int fd);

    /** The {@code f_type} statfs(2) reports for the filesystem holding {@code path}. */
    long statfsType(String path) throws ErrnoException;

    /** The {@code d_type} readdir(3) reports for each entry of {@code dir} ({@code .} and {@code ..} left out). */
    Map<String, Integer> direntTypes(String dir) throws ErrnoException;

    /** unshare(2) for the calling thread. */
    void unshare(int flags) throws ErrnoException;

    /** chdir(2) for the calling thread's filesystem context. */
    void chdir(String path) throws ErrnoException;

    /** syncfs(2) on the filesystem holding {@code path}. */
    void syncfs(String path) throws ErrnoException;

    /** getpagesize(2): the most bytes mount(2) copies of its {@code data}, terminating NUL included. */
    int pageSize();

    /** chattr's "top of directory hierarchy" flag: spread this directory's subdirectories over the disk. */
    int FS_TOPDIR_FL = 0x00020000;

    /** ioctl(FS_IOC_GETFLAGS) on {@code path}: its inode flags, as lsattr(1) shows them. */
    default int inodeFlags(String path) throws ErrnoException {
        throw new ErrnoException("ioctl(FS_IOC_GETFLAGS)", ErrnoException.ENOSYS, "Function not implemented");
    }

    /** ioctl(FS_IOC_SETFLAGS) on {@code path}. */
    default void setInodeFlags(String path, int flags) throws ErrnoException {
        throw new ErrnoException("ioctl(FS_IOC_SETFLAGS)", ErrnoException.ENOSYS, "Function not implemented");
    }
}

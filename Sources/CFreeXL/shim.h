// The only door to FreeXL, the read-only reader of Excel 97–2003 (.xls) workbooks.
// FreeXL opens files by path; the reader hands it an anonymous in-memory file instead,
// so the bytes a worker received never touch the disk.
#include <freexl.h>
#include <sys/syscall.h>
#include <unistd.h>

/// An anonymous memory file (memfd_create, close-on-exec), or -1 where the kernel has none.
static inline int bulletin_memory_file(void) {
#ifdef SYS_memfd_create
    return (int)syscall(SYS_memfd_create, "bulletin-xls", 1u /* MFD_CLOEXEC */);
#else
    return -1;
#endif
}

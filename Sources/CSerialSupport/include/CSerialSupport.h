#ifndef SWIFT_CRYPTECH_SERIAL_SUPPORT_H
#define SWIFT_CRYPTECH_SERIAL_SUPPORT_H

/// Sets input and output speed of the tty `fd` to `speed` bits per second through Linux's
/// termios2 interface (BOTHER), which accepts speeds that have no Bnnn constant.
/// Glibc's <termios.h> cannot express these, and its struct clashes with the kernel's
/// termios2, so this lives in C. Returns 0, or -1 with errno set.
int cryptech_tty_set_speed(int fd, unsigned int speed);

/// Reads back the current output speed in bits per second via termios2. Returns 0 with
/// `*speed` set, or -1 with errno set.
int cryptech_tty_get_speed(int fd, unsigned int *speed);

/// Asks the serial driver for low latency (TIOCSSERIAL with ASYNC_LOW_LATENCY), so the
/// FTDI chip does not hold back short replies. Returns 0, or -1 with errno set (ptys
/// and some drivers refuse; callers treat that as advisory).
int cryptech_tty_set_low_latency(int fd);

#include <stddef.h>

/// Opens a new pseudo-terminal master (posix_openpt, grantpt, unlockpt; close-on-exec,
/// no controlling tty) and writes the slave's path into `slave_path`. Returns the master
/// descriptor, or -1 with errno set (nothing left open). Lives in C because Glibc hides
/// these calls behind feature macros Swift does not set.
int cryptech_pty_open(char *slave_path, size_t length);

#endif

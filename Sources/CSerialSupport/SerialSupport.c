#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include "CSerialSupport.h"
#include <errno.h>

#ifdef __linux__
#include <asm/termbits.h>
#include <linux/serial.h>
#include <sys/ioctl.h>
#include <errno.h>

int cryptech_tty_set_speed(int fd, unsigned int speed) {
    struct termios2 tio;
    if (ioctl(fd, TCGETS2, &tio) != 0) return -1;
    tio.c_cflag &= ~CBAUD;
    tio.c_cflag |= BOTHER;
    tio.c_cflag &= ~(CBAUD << IBSHIFT);
    tio.c_cflag |= BOTHER << IBSHIFT;
    tio.c_ispeed = speed;
    tio.c_ospeed = speed;
    return ioctl(fd, TCSETS2, &tio);
}

int cryptech_tty_get_speed(int fd, unsigned int *speed) {
    struct termios2 tio;
    if (ioctl(fd, TCGETS2, &tio) != 0) return -1;
    *speed = tio.c_ospeed;
    return 0;
}

int cryptech_tty_set_low_latency(int fd) {
    struct serial_struct ss;
    if (ioctl(fd, TIOCGSERIAL, &ss) != 0) return -1;
    ss.flags |= ASYNC_LOW_LATENCY;
    return ioctl(fd, TIOCSSERIAL, &ss);
}
#else
int cryptech_tty_set_speed(int fd, unsigned int speed) { (void)fd; (void)speed; errno = ENOTSUP; return -1; }
int cryptech_tty_get_speed(int fd, unsigned int *speed) { (void)fd; (void)speed; errno = ENOTSUP; return -1; }
int cryptech_tty_set_low_latency(int fd) { (void)fd; errno = ENOTSUP; return -1; }
#endif

int cryptech_pty_open(char *slave_path, size_t length) {
    int fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return -1;
    if (grantpt(fd) != 0 || unlockpt(fd) != 0 || ptsname_r(fd, slave_path, length) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

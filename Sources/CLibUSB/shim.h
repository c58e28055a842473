#ifndef SWIFT_CRYPTECH_CLIBUSB_SHIM_H
#define SWIFT_CRYPTECH_CLIBUSB_SHIM_H
#include <libusb.h>
#endif

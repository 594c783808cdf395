// CHDF5: Debian's serial libhdf5 (pkg-config "hdf5"). None of our code lives here.
#ifndef CHDF5_SHIM_H
#define CHDF5_SHIM_H
#include <hdf5.h>
#endif

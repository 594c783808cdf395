// CHDF5: Debian's serial libhdf5 (pkg-config "hdf5"). None of our code lives here beyond these
// accessors: HDF5 spells its type ids and flags as macros that read globals, which Swift cannot
// import, so each one gets a one-line inline function.
#ifndef CHDF5_SHIM_H
#define CHDF5_SHIM_H
#include <hdf5.h>
#include <string.h>

static inline hid_t chdf5_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t chdf5_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t chdf5_ieee_f32le(void) { return H5T_IEEE_F32LE; }
static inline hid_t chdf5_ieee_f64le(void) { return H5T_IEEE_F64LE; }
static inline hid_t chdf5_c_s1(void) { return H5T_C_S1; }
static inline hid_t chdf5_p_default(void) { return H5P_DEFAULT; }
static inline hid_t chdf5_p_dataset_create(void) { return H5P_DATASET_CREATE; }
static inline hid_t chdf5_s_all(void) { return H5S_ALL; }
static inline hid_t chdf5_e_default(void) { return H5E_DEFAULT; }
static inline unsigned chdf5_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned chdf5_acc_rdwr(void) { return H5F_ACC_RDWR; }
static inline unsigned chdf5_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline unsigned chdf5_acc_excl(void) { return H5F_ACC_EXCL; }
static inline hsize_t chdf5_unlimited(void) { return H5S_UNLIMITED; }

/// Turns off HDF5's automatic printing of its error stack (we turn the stack into Swift errors).
static inline void chdf5_silence_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

/// Copies the innermost messages of the current error stack into `buffer` ("; "-separated).
static herr_t chdf5_walk_callback(unsigned n, const H5E_error2_t *err, void *data) {
    char *buffer = (char *)((void **)data)[0];
    size_t capacity = *(size_t *)((void **)data)[1];
    size_t used = strlen(buffer);
    if (err->desc && used + strlen(err->desc) + 3 < capacity) {
        if (used > 0) strcat(buffer, "; ");
        strcat(buffer, err->desc);
    }
    (void)n;
    return 0;
}

static inline void chdf5_error_text(char *buffer, size_t capacity) {
    if (capacity == 0) return;
    buffer[0] = '\0';
    void *data[2] = {buffer, &capacity};
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, chdf5_walk_callback, data);
    H5Eclear2(H5E_DEFAULT);
}
#endif

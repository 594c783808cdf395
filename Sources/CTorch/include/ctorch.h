/*
 * ctorch.h — the C ABI over LibTorch used by the Swift `Torch` module.
 *
 * Conventions (STYLE.md §3):
 *  - Every function that can fail returns a ct_status; results come back through
 *    out-parameters. On failure the error text is in thread-local storage, readable with
 *    ct_last_error() until the next shim call on the same thread. Callers copy it and never
 *    free it.
 *  - Tensor and generator arguments are borrowed. Every returned handle is owned (+1): the
 *    caller frees it exactly once with ct_tensor_free / ct_generator_free.
 *  - Optional tensor arguments are NULL when absent.
 *  - Shapes, dims and other integer lists are passed as (pointer, count).
 *  - dtype and device codes are the CT_DTYPE_* and CT_DEVICE_* values below.
 *
 * This header compiles as C; no C++ type appears in it.
 */
#ifndef CTORCH_H
#define CTORCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ct_tensor_s *ct_tensor;
typedef struct ct_generator_s *ct_generator;
typedef int32_t ct_status;

enum {
    CT_OK = 0,
    CT_ERROR = 1,          /* c10::Error or std::exception */
    CT_OUT_OF_MEMORY = 2,  /* c10::OutOfMemoryError, std::bad_alloc, or the CPU allocator failing */
    CT_UNKNOWN = 3         /* anything else thrown */
};

enum {
    CT_DTYPE_FLOAT32 = 0,
    CT_DTYPE_FLOAT64 = 1,
    CT_DTYPE_FLOAT16 = 2,
    CT_DTYPE_BFLOAT16 = 3,
    CT_DTYPE_INT64 = 4,
    CT_DTYPE_INT32 = 5,
    CT_DTYPE_BOOL = 6,
    CT_DTYPE_UINT8 = 7
};

enum { CT_DEVICE_CPU = 0, CT_DEVICE_CUDA = 1 };

enum { CT_REDUCTION_NONE = 0, CT_REDUCTION_MEAN = 1, CT_REDUCTION_SUM = 2 };

enum { CT_PAD_CONSTANT = 0, CT_PAD_CIRCULAR = 1, CT_PAD_REPLICATE = 2, CT_PAD_REFLECT = 3 };

/* ---- errors, library, threads ------------------------------------------------------------ */

/** Text of the last failure on this thread; valid until the next shim call on this thread. */
const char *ct_last_error(void);
/** Number of live tensor handles (created and not yet freed), for leak tests. */
int64_t ct_live_tensor_count(void);
/** The caching CPU allocator (cpu_allocator.cpp): bytes held in its free lists, and how many large
 *  allocations it served from them (hits) or from the system (misses). Returns 0 when the cache is
 *  off (CALOFORGE_CPU_CACHE_MB=0), 1 otherwise. */
int32_t ct_cpu_cache_stats(int64_t *cached_bytes, int64_t *hits, int64_t *misses);
/** The cache's cap in MiB (CALOFORGE_CPU_CACHE_MB; default a quarter of the physical memory, at least 1024; 0 = off). */
int64_t ct_cpu_cache_limit_mb(void);
/** Returns every cached free CPU block to the system. */
void ct_cpu_cache_release(void);
/** Version of LibTorch this shim was compiled against, e.g. "2.11.0". */
const char *ct_compiled_version(void);
/** Version of the LibTorch loaded at run time, read from at::show_config(). */
ct_status ct_runtime_version(char *buffer, int64_t capacity);
ct_status ct_set_num_threads(int32_t count);
int32_t ct_get_num_threads(void);
ct_status ct_manual_seed(uint64_t seed);

/* ---- CUDA -------------------------------------------------------------------------------- */

/** dlopen()s libtorch_cuda.so (RTLD_NOW|RTLD_GLOBAL) from the folder of libtorch_cpu.so. Idempotent. */
ct_status ct_cuda_load(void);
bool ct_cuda_is_available(void);
int32_t ct_cuda_device_count(void);
ct_status ct_cuda_synchronize(int32_t device);
/** Name, total memory and compute capability of a CUDA device. */
ct_status ct_cuda_device_info(int32_t device, char *name, int64_t name_capacity, int64_t *total_bytes,
                              int32_t *major, int32_t *minor);
/** Caching-allocator statistics: current/peak allocated and reserved bytes. */
ct_status ct_cuda_memory_stats(int32_t device, int64_t *allocated, int64_t *peak_allocated,
                               int64_t *reserved, int64_t *peak_reserved);
ct_status ct_cuda_empty_cache(void);

/* ---- generators -------------------------------------------------------------------------- */

ct_status ct_generator_new(int32_t device_type, int32_t device_index, uint64_t seed, ct_generator *out);
void ct_generator_free(ct_generator g);
ct_status ct_generator_set_seed(ct_generator g, uint64_t seed);
/** The generator's full state as a uint8 CPU tensor, and restoring it. */
ct_status ct_generator_get_state(ct_generator g, ct_tensor *out);
ct_status ct_generator_set_state(ct_generator g, ct_tensor state);

/* ---- tensor lifetime and metadata --------------------------------------------------------- */

void ct_tensor_free(ct_tensor t);
int64_t ct_tensor_ndim(ct_tensor t);
/** Writes min(ndim, capacity) sizes. */
void ct_tensor_shape(ct_tensor t, int64_t *sizes, int64_t capacity);
int64_t ct_tensor_numel(ct_tensor t);
int32_t ct_tensor_dtype(ct_tensor t);
void ct_tensor_device(ct_tensor t, int32_t *type, int32_t *index);
bool ct_tensor_requires_grad(ct_tensor t);
bool ct_tensor_is_contiguous(ct_tensor t);
bool ct_tensor_is_leaf(ct_tensor t);

/* ---- creation and copies ----------------------------------------------------------------- */

/** Copies `nbytes` from `data` into a new CPU tensor of the given shape and dtype. */
ct_status ct_tensor_from_blob(const void *data, int64_t nbytes, const int64_t *shape, int64_t ndim,
                              int32_t dtype, ct_tensor *out);
/** Copies the tensor's elements (converted to a contiguous CPU tensor) into `data`. */
ct_status ct_tensor_copy_to_buffer(ct_tensor t, void *data, int64_t nbytes);
ct_status ct_tensor_item_double(ct_tensor t, double *out);
ct_status ct_tensor_item_int64(ct_tensor t, int64_t *out);
ct_status ct_tensor_empty(const int64_t *shape, int64_t ndim, int32_t dtype, int32_t device_type,
                          int32_t device_index, ct_tensor *out);
ct_status ct_tensor_full(const int64_t *shape, int64_t ndim, double value, int32_t dtype, int32_t device_type,
                         int32_t device_index, ct_tensor *out);
ct_status ct_tensor_arange(double start, double end, double step, int32_t dtype, int32_t device_type,
                           int32_t device_index, ct_tensor *out);
ct_status ct_tensor_linspace(double start, double end, int64_t steps, int32_t dtype, int32_t device_type,
                             int32_t device_index, ct_tensor *out);
ct_status ct_tensor_eye(int64_t n, int64_t m, int32_t dtype, int32_t device_type, int32_t device_index,
                        ct_tensor *out);
/** dtype < 0 keeps the dtype; device_type < 0 keeps the device. */
ct_status ct_tensor_to(ct_tensor t, int32_t dtype, int32_t device_type, int32_t device_index, ct_tensor *out);
ct_status ct_tensor_clone(ct_tensor t, ct_tensor *out);
/** A new handle sharing storage and autograd identity with `t` (at::Tensor copy). */
ct_status ct_tensor_shallow_copy(ct_tensor t, ct_tensor *out);

/* ---- random (explicit generators; NULL means LibTorch's default generator) --------------- */

ct_status ct_tensor_randn(const int64_t *shape, int64_t ndim, int32_t dtype, int32_t device_type,
                          int32_t device_index, ct_generator g, ct_tensor *out);
ct_status ct_tensor_rand(const int64_t *shape, int64_t ndim, int32_t dtype, int32_t device_type,
                         int32_t device_index, ct_generator g, ct_tensor *out);
ct_status ct_tensor_randint(int64_t low, int64_t high, const int64_t *shape, int64_t ndim, int32_t dtype,
                            int32_t device_type, int32_t device_index, ct_generator g, ct_tensor *out);
ct_status ct_tensor_randperm(int64_t n, int32_t dtype, int32_t device_type, int32_t device_index, ct_generator g,
                             ct_tensor *out);
/** In place: fills `t` with N(mean, std²) or U(low, high). */
ct_status ct_tensor_normal_(ct_tensor t, double mean, double std, ct_generator g);
ct_status ct_tensor_uniform_(ct_tensor t, double low, double high, ct_generator g);
ct_status ct_tensor_bernoulli(ct_tensor probabilities, ct_generator g, ct_tensor *out);
ct_status ct_tensor_multinomial(ct_tensor probabilities, int64_t count, bool replacement, ct_generator g,
                                ct_tensor *out);

/* ---- element-wise, generated from lists ------------------------------------------------ */

#define CT_UNARY_OPS(X)                                                                                        \
    X(abs) X(ceil) X(cos) X(cosh) X(erf) X(erfinv) X(exp) X(expm1) X(floor) X(gelu) X(isfinite) X(isnan)      \
    X(log) X(log10) X(log1p) X(log2) X(logical_not) X(neg) X(reciprocal) X(relu) X(round) X(rsqrt)          \
    X(sigmoid) X(sign) X(silu) X(sin) X(sinh) X(sqrt) X(square) X(tan) X(tanh) X(trunc)

#define CT_BINARY_OPS(X)                                                                                       \
    X(add) X(atan2) X(div) X(eq) X(fmod) X(ge) X(gt) X(le) X(logical_and) X(logical_or) X(logical_xor) X(lt)  \
    X(maximum) X(minimum) X(mul) X(ne) X(pow) X(remainder) X(sub)

/* tensor ∘ scalar; the scalar takes the tensor's dtype (Python-scalar promotion rules). */
#define CT_SCALAR_OPS(X)                                                                                       \
    X(add) X(div) X(eq) X(fmod) X(ge) X(gt) X(le) X(lt) X(mul) X(ne) X(pow) X(remainder) X(sub)              \
    X(rsub) X(rdiv) X(rpow)

#define CT_DECLARE_UNARY(name) ct_status ct_tensor_##name(ct_tensor x, ct_tensor *out);
#define CT_DECLARE_BINARY(name) ct_status ct_tensor_##name(ct_tensor a, ct_tensor b, ct_tensor *out);
#define CT_DECLARE_SCALAR(name) ct_status ct_tensor_##name##_scalar(ct_tensor a, double s, ct_tensor *out);
CT_UNARY_OPS(CT_DECLARE_UNARY)
CT_BINARY_OPS(CT_DECLARE_BINARY)
CT_SCALAR_OPS(CT_DECLARE_SCALAR)

ct_status ct_tensor_clamp(ct_tensor x, double min, bool has_min, double max, bool has_max, ct_tensor *out);
ct_status ct_tensor_clamp_tensor(ct_tensor x, ct_tensor min, ct_tensor max, ct_tensor *out);
/** logit(x) = log(x / (1 - x)); eps < 0 means no clamping. */
ct_status ct_tensor_logit(ct_tensor x, double eps, ct_tensor *out);
ct_status ct_tensor_leaky_relu(ct_tensor x, double slope, ct_tensor *out);
ct_status ct_tensor_softplus(ct_tensor x, double beta, double threshold, ct_tensor *out);
ct_status ct_tensor_gelu_tanh(ct_tensor x, ct_tensor *out);
ct_status ct_tensor_where(ct_tensor condition, ct_tensor a, ct_tensor b, ct_tensor *out);
ct_status ct_tensor_masked_fill(ct_tensor x, ct_tensor mask, double value, ct_tensor *out);
ct_status ct_tensor_lerp(ct_tensor a, ct_tensor b, double weight, ct_tensor *out);

/* ---- shape and indexing ------------------------------------------------------------------ */

ct_status ct_tensor_reshape(ct_tensor x, const int64_t *shape, int64_t ndim, ct_tensor *out);
ct_status ct_tensor_view(ct_tensor x, const int64_t *shape, int64_t ndim, ct_tensor *out);
ct_status ct_tensor_permute(ct_tensor x, const int64_t *dims, int64_t count, ct_tensor *out);
ct_status ct_tensor_transpose(ct_tensor x, int64_t dim0, int64_t dim1, ct_tensor *out);
ct_status ct_tensor_squeeze(ct_tensor x, const int64_t *dims, int64_t count, ct_tensor *out);
ct_status ct_tensor_unsqueeze(ct_tensor x, int64_t dim, ct_tensor *out);
ct_status ct_tensor_expand(ct_tensor x, const int64_t *shape, int64_t ndim, ct_tensor *out);
ct_status ct_tensor_repeat(ct_tensor x, const int64_t *repeats, int64_t count, ct_tensor *out);
ct_status ct_tensor_contiguous(ct_tensor x, ct_tensor *out);
ct_status ct_tensor_flatten(ct_tensor x, int64_t start_dim, int64_t end_dim, ct_tensor *out);
ct_status ct_tensor_cat(const ct_tensor *tensors, int64_t count, int64_t dim, ct_tensor *out);
ct_status ct_tensor_stack(const ct_tensor *tensors, int64_t count, int64_t dim, ct_tensor *out);
/** Split into pieces of `size` along `dim`; writes up to `capacity` handles and the count. */
ct_status ct_tensor_split(ct_tensor x, int64_t size, int64_t dim, ct_tensor *outs, int64_t capacity,
                          int64_t *count);
ct_status ct_tensor_chunk(ct_tensor x, int64_t chunks, int64_t dim, ct_tensor *outs, int64_t capacity,
                          int64_t *count);
ct_status ct_tensor_narrow(ct_tensor x, int64_t dim, int64_t start, int64_t length, ct_tensor *out);
ct_status ct_tensor_select(ct_tensor x, int64_t dim, int64_t index, ct_tensor *out);
ct_status ct_tensor_slice(ct_tensor x, int64_t dim, int64_t start, int64_t end, int64_t step, ct_tensor *out);
ct_status ct_tensor_index_select(ct_tensor x, int64_t dim, ct_tensor index, ct_tensor *out);
ct_status ct_tensor_masked_select(ct_tensor x, ct_tensor mask, ct_tensor *out);
ct_status ct_tensor_gather(ct_tensor x, int64_t dim, ct_tensor index, ct_tensor *out);
ct_status ct_tensor_scatter_add(ct_tensor x, int64_t dim, ct_tensor index, ct_tensor source, ct_tensor *out);
ct_status ct_tensor_index_add(ct_tensor x, int64_t dim, ct_tensor index, ct_tensor source, ct_tensor *out);
ct_status ct_tensor_flip(ct_tensor x, const int64_t *dims, int64_t count, ct_tensor *out);
ct_status ct_tensor_roll(ct_tensor x, const int64_t *shifts, const int64_t *dims, int64_t count, ct_tensor *out);
/** pad: PyTorch F.pad order (last dim first: left, right, top, bottom, ...). */
ct_status ct_tensor_pad(ct_tensor x, const int64_t *pad, int64_t count, int32_t mode, double value, ct_tensor *out);
ct_status ct_tensor_tril(ct_tensor x, int64_t diagonal, ct_tensor *out);
ct_status ct_tensor_triu(ct_tensor x, int64_t diagonal, ct_tensor *out);
ct_status ct_tensor_nonzero(ct_tensor x, ct_tensor *out);
ct_status ct_tensor_bucketize(ct_tensor x, ct_tensor boundaries, bool right, ct_tensor *out);

/* ---- reductions (count == 0 reduces over all dims) -------------------------------------- */

ct_status ct_tensor_sum(ct_tensor x, const int64_t *dims, int64_t count, bool keepdim, ct_tensor *out);
ct_status ct_tensor_mean(ct_tensor x, const int64_t *dims, int64_t count, bool keepdim, ct_tensor *out);
ct_status ct_tensor_var(ct_tensor x, const int64_t *dims, int64_t count, int64_t correction, bool keepdim,
                        ct_tensor *out);
ct_status ct_tensor_std(ct_tensor x, const int64_t *dims, int64_t count, int64_t correction, bool keepdim,
                        ct_tensor *out);
ct_status ct_tensor_amin(ct_tensor x, const int64_t *dims, int64_t count, bool keepdim, ct_tensor *out);
ct_status ct_tensor_amax(ct_tensor x, const int64_t *dims, int64_t count, bool keepdim, ct_tensor *out);
ct_status ct_tensor_logsumexp(ct_tensor x, const int64_t *dims, int64_t count, bool keepdim, ct_tensor *out);
ct_status ct_tensor_norm(ct_tensor x, double p, const int64_t *dims, int64_t count, bool keepdim, ct_tensor *out);
ct_status ct_tensor_all(ct_tensor x, ct_tensor *out);
ct_status ct_tensor_any(ct_tensor x, ct_tensor *out);
ct_status ct_tensor_min_dim(ct_tensor x, int64_t dim, bool keepdim, ct_tensor *values, ct_tensor *indices);
ct_status ct_tensor_max_dim(ct_tensor x, int64_t dim, bool keepdim, ct_tensor *values, ct_tensor *indices);
ct_status ct_tensor_argmax(ct_tensor x, int64_t dim, bool keepdim, ct_tensor *out);
ct_status ct_tensor_argmin(ct_tensor x, int64_t dim, bool keepdim, ct_tensor *out);
ct_status ct_tensor_cumsum(ct_tensor x, int64_t dim, ct_tensor *out);
ct_status ct_tensor_cumprod(ct_tensor x, int64_t dim, ct_tensor *out);
ct_status ct_tensor_topk(ct_tensor x, int64_t k, int64_t dim, bool largest, bool sorted, ct_tensor *values,
                         ct_tensor *indices);
ct_status ct_tensor_sort(ct_tensor x, int64_t dim, bool descending, ct_tensor *values, ct_tensor *indices);
ct_status ct_tensor_quantile(ct_tensor x, ct_tensor q, int64_t dim, bool has_dim, bool keepdim, ct_tensor *out);
ct_status ct_tensor_histc(ct_tensor x, int64_t bins, double min, double max, ct_tensor *out);

/* ---- linear algebra --------------------------------------------------------------------- */

ct_status ct_tensor_matmul(ct_tensor a, ct_tensor b, ct_tensor *out);
ct_status ct_tensor_bmm(ct_tensor a, ct_tensor b, ct_tensor *out);
ct_status ct_tensor_einsum(const char *equation, const ct_tensor *tensors, int64_t count, ct_tensor *out);
/** Eigen-decomposition of a symmetric matrix: ascending eigenvalues and column eigenvectors. */
ct_status ct_linalg_eigh(ct_tensor x, bool upper, ct_tensor *eigenvalues, ct_tensor *eigenvectors);
ct_status ct_tensor_cdist(ct_tensor a, ct_tensor b, double p, ct_tensor *out);

/* ---- neural-network functions ------------------------------------------------------------ */

ct_status ct_nn_linear(ct_tensor x, ct_tensor weight, ct_tensor bias, ct_tensor *out);
/** N-d convolution (N = count of stride entries), forward or transposed. */
ct_status ct_nn_convolution(ct_tensor x, ct_tensor weight, ct_tensor bias, const int64_t *stride,
                            const int64_t *padding, const int64_t *dilation, int64_t spatial_dims, bool transposed,
                            const int64_t *output_padding, int64_t groups, ct_tensor *out);
ct_status ct_nn_group_norm(ct_tensor x, int64_t groups, ct_tensor weight, ct_tensor bias, double eps,
                           ct_tensor *out);
ct_status ct_nn_layer_norm(ct_tensor x, const int64_t *normalized_shape, int64_t count, ct_tensor weight,
                           ct_tensor bias, double eps, ct_tensor *out);
ct_status ct_nn_batch_norm(ct_tensor x, ct_tensor weight, ct_tensor bias, ct_tensor running_mean,
                           ct_tensor running_var, bool training, double momentum, double eps, ct_tensor *out);
ct_status ct_nn_dropout(ct_tensor x, double p, bool training, ct_generator g, ct_tensor *out);
ct_status ct_nn_softmax(ct_tensor x, int64_t dim, ct_tensor *out);
ct_status ct_nn_log_softmax(ct_tensor x, int64_t dim, ct_tensor *out);
ct_status ct_nn_avg_pool(ct_tensor x, const int64_t *kernel, const int64_t *stride, const int64_t *padding,
                         int64_t spatial_dims, ct_tensor *out);
ct_status ct_nn_max_pool(ct_tensor x, const int64_t *kernel, const int64_t *stride, const int64_t *padding,
                         int64_t spatial_dims, ct_tensor *out);
ct_status ct_nn_adaptive_avg_pool(ct_tensor x, const int64_t *output_size, int64_t spatial_dims, ct_tensor *out);
/** Nearest-neighbour upsampling to an explicit output size (1, 2 or 3 spatial dims). */
ct_status ct_nn_upsample_nearest(ct_tensor x, const int64_t *output_size, int64_t spatial_dims, ct_tensor *out);
ct_status ct_nn_embedding(ct_tensor weight, ct_tensor indices, ct_tensor *out);
/** scale <= 0 uses 1/sqrt(head_dim). mask may be NULL. */
ct_status ct_nn_scaled_dot_product_attention(ct_tensor q, ct_tensor k, ct_tensor v, ct_tensor mask,
                                             bool is_causal, double scale, ct_tensor *out);
ct_status ct_nn_mse_loss(ct_tensor x, ct_tensor target, int32_t reduction, ct_tensor *out);
ct_status ct_nn_l1_loss(ct_tensor x, ct_tensor target, int32_t reduction, ct_tensor *out);
ct_status ct_nn_bce_with_logits(ct_tensor x, ct_tensor target, ct_tensor weight, ct_tensor pos_weight,
                                int32_t reduction, ct_tensor *out);

/* ---- torch.save files --------------------------------------------------------------------- */

enum { CT_PICKLE_ACCEPTED = 0, CT_PICKLE_FOREIGN_OBJECT = 1, CT_PICKLE_ORDERED_DICT = 2 };

/** Copies the record `name` of a torch.save zip (the bytes of a .pth file, zip format) into a new buffer:
 *  `name` is relative to the archive folder ("data.pkl" reads "<archive>/data.pkl"). The buffer of *length
 *  bytes is owned by the caller and freed with ct_buffer_free. Uses caffe2::serialize::PyTorchStreamReader. */
ct_status ct_zip_record(const void *zip, int64_t nbytes, const char *name, void **out, int64_t *length);
/** Frees a buffer returned by ct_zip_record. */
void ct_buffer_free(void *buffer);

/** Unpickles a torch.save file (zip format, torch >= 1.6 default) with LibTorch's own unpickler
 *  (torch::jit::Unpickler, as torch::pickle_load does) and returns every tensor under its dotted name: dict keys
 *  (strings or integers) and list/tuple indices joined with '.'; int, float, bool, string, None and device leaves
 *  are skipped. The pickle stream is `pickle` (`pickle_nbytes` bytes, a rewritten data.pkl) when not NULL, else
 *  the zip's own data.pkl; tensor storages are always read from the zip ("<archive>/data/<key>").
 *  On success *refusal is CT_PICKLE_ACCEPTED, *names and *tensors are arrays of *count entries (names
 *  NUL-terminated), owned by the caller: each tensor handle is freed by its owner with ct_tensor_free and the
 *  two arrays with ct_pickle_arrays_free. When the file holds an object that is not a tensor or a plain
 *  container, the status is still CT_OK: *refusal says why (CT_PICKLE_FOREIGN_OBJECT: a custom class or numpy
 *  array, CT_PICKLE_ORDERED_DICT: a collections.OrderedDict left in the stream, which LibTorch's unpickler
 *  rebuilds as None), `detail` holds the object's type and key when known, and nothing is allocated. */
ct_status ct_pickle_load(const void *zip, int64_t nbytes, const void *pickle, int64_t pickle_nbytes, int32_t *refusal,
                         char *detail, int64_t detail_capacity, char ***names, ct_tensor **tensors, int64_t *count);
/** Frees the arrays ct_pickle_load returned (the name strings too), not the tensor handles in them. */
void ct_pickle_arrays_free(char **names, ct_tensor *tensors, int64_t count);

/* ---- autograd ---------------------------------------------------------------------------- */

ct_status ct_tensor_set_requires_grad(ct_tensor t, bool requires_grad);
/** Gradient accumulated in `t`; *out is NULL when there is none. */
ct_status ct_tensor_grad(ct_tensor t, ct_tensor *out);
/** Drops the accumulated gradient (set_to_none semantics). */
ct_status ct_tensor_zero_grad(ct_tensor t);
ct_status ct_tensor_set_grad(ct_tensor t, ct_tensor grad);
ct_status ct_tensor_detach(ct_tensor t, ct_tensor *out);
/** seed may be NULL for a scalar `t`. */
ct_status ct_tensor_backward(ct_tensor t, ct_tensor seed, bool retain_graph, bool create_graph);
/** torch.autograd.grad; grad_outputs may be NULL; unused inputs give NULL handles when allow_unused. */
ct_status ct_autograd_grad(const ct_tensor *outputs, int64_t output_count, const ct_tensor *inputs,
                           int64_t input_count, const ct_tensor *grad_outputs, bool retain_graph,
                           bool create_graph, bool allow_unused, ct_tensor *results);
bool ct_grad_mode_is_enabled(void);
void ct_grad_mode_set_enabled(bool enabled);

/* ---- autocast (at::autocast thread-local state, per device type) ------------------------- */

/** Whether autocast is on for `device_type` on this thread; *dtype is its lower-precision dtype code. */
ct_status ct_autocast_state(int32_t device_type, bool *enabled, int32_t *dtype);
/** Switches autocast for `device_type` on or off with lower-precision `dtype` (at::autocast::set_autocast_*). */
ct_status ct_autocast_set_state(int32_t device_type, bool enabled, int32_t dtype);
/** Enters one autocast scope (at::autocast::increment_nesting); returns the new nesting depth. */
int32_t ct_autocast_enter(void);
/** Leaves one autocast scope; at depth 0 the cache of casted weights is cleared (as torch.autocast does). */
int32_t ct_autocast_exit(void);

/* ---- memory formats ------------------------------------------------------------------------ */

/** Dense layouts of 4-D and 5-D tensors (c10::MemoryFormat). */
enum {
    CT_MEMORY_FORMAT_CONTIGUOUS = 0,
    CT_MEMORY_FORMAT_CHANNELS_LAST = 1,
    CT_MEMORY_FORMAT_CHANNELS_LAST_3D = 2,
};
/** Tensor::contiguous(memory_format): a copy in that layout, or `x` itself when it already is. */
ct_status ct_tensor_contiguous_format(ct_tensor x, int32_t format, ct_tensor *out);
/** Tensor::is_contiguous(memory_format); false for an unknown format code. */
bool ct_tensor_is_contiguous_format(ct_tensor x, int32_t format);
/** Re-lays `t`'s storage out in `format` in place of its data (Tensor::set_data), keeping the handle, its
 *  requires-grad flag and its identity for optimizers (what nn.Module.to(memory_format=) does). */
ct_status ct_tensor_set_memory_format_(ct_tensor t, int32_t format);

/* ---- in-place updates (optimizers; call under no-grad for parameters) ------------------- */

ct_status ct_tensor_copy_(ct_tensor t, ct_tensor source);
ct_status ct_tensor_fill_(ct_tensor t, double value);
ct_status ct_tensor_zero_(ct_tensor t);
ct_status ct_tensor_mul_scalar_(ct_tensor t, double s);
ct_status ct_tensor_add_scalar_(ct_tensor t, double s);
/** t += alpha * other */
ct_status ct_tensor_add_(ct_tensor t, ct_tensor other, double alpha);
ct_status ct_tensor_mul_(ct_tensor t, ct_tensor other);
/** t += value * a * b */
ct_status ct_tensor_addcmul_(ct_tensor t, ct_tensor a, ct_tensor b, double value);
/** t += value * a / b */
ct_status ct_tensor_addcdiv_(ct_tensor t, ct_tensor a, ct_tensor b, double value);
/** t += weight * (end - t) */
ct_status ct_tensor_lerp_(ct_tensor t, ct_tensor end, double weight);
ct_status ct_tensor_clamp_(ct_tensor t, double min, bool has_min, double max, bool has_max);

#ifdef __cplusplus
}
#endif

#endif /* CTORCH_H */

// ctorch.cpp — the C ABI over LibTorch. The only C++ in CaloForge; boring on purpose.
//
// Every exported body runs inside guard(), which turns every C++ exception into a status
// code plus thread-local error text, so no exception ever crosses into Swift.

#include "ctorch.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
#include <ATen/core/grad_mode.h>
#include <ATen/DeviceAccelerator.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <c10/core/CachingDeviceAllocator.h>
#include <c10/util/Exception.h>
#include <torch/csrc/autograd/autograd.h>
#include <caffe2/serialize/in_memory_adapter.h>
#include <caffe2/serialize/inline_container.h>
#include <torch/csrc/jit/serialization/pickle.h>
#include <torch/csrc/jit/serialization/unpickler.h>
#include <torch/headeronly/version.h>

#include <dlfcn.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <tuple>
#include <vector>

struct ct_tensor_s {
    at::Tensor value;
};
struct ct_generator_s {
    at::Generator value;
};

namespace {

thread_local std::string last_error;
std::atomic<int64_t> live_tensors{0};

void set_error(const char *text) { last_error = text ? text : "unknown error"; }

template <class F>
ct_status guard(F &&body) {
    try {
        body();
        return CT_OK;
    } catch (const c10::OutOfMemoryError &e) {
        set_error(e.what_without_backtrace());
        return CT_OUT_OF_MEMORY;
    } catch (const c10::Error &e) {
        set_error(e.what_without_backtrace());
        // The CPU allocator reports exhaustion as a plain c10::Error (CAFFE_ENFORCE in
        // c10/core/impl/alloc_cpu.cpp), not c10::OutOfMemoryError; it is still out-of-memory.
        const char *text = e.what_without_backtrace();
        if (std::strstr(text, "DefaultCPUAllocator: can't allocate memory") != nullptr ||
            std::strstr(text, "DefaultCPUAllocator: not enough memory") != nullptr)
            return CT_OUT_OF_MEMORY;
        return CT_ERROR;
    } catch (const std::bad_alloc &e) {
        set_error("out of host memory (std::bad_alloc)");
        return CT_OUT_OF_MEMORY;
    } catch (const std::exception &e) {
        set_error(e.what());
        return CT_ERROR;
    } catch (...) {
        set_error("unknown C++ exception in LibTorch");
        return CT_UNKNOWN;
    }
}

ct_tensor wrap(at::Tensor t) {
    auto *h = new ct_tensor_s{std::move(t)};
    live_tensors.fetch_add(1, std::memory_order_relaxed);
    return h;
}

const at::Tensor &T(ct_tensor h) {
    TORCH_CHECK(h != nullptr, "null tensor handle");
    return h->value;
}

std::optional<at::Tensor> opt(ct_tensor h) {
    if (h == nullptr) return std::nullopt;
    return h->value;
}

std::optional<at::Generator> gen(ct_generator g) {
    if (g == nullptr) return std::nullopt;
    return g->value;
}

at::IntArrayRef ints(const int64_t *p, int64_t n) { return at::IntArrayRef(p, static_cast<size_t>(n)); }

at::ScalarType scalar_type(int32_t code) {
    switch (code) {
        case CT_DTYPE_FLOAT32: return at::kFloat;
        case CT_DTYPE_FLOAT64: return at::kDouble;
        case CT_DTYPE_FLOAT16: return at::kHalf;
        case CT_DTYPE_BFLOAT16: return at::kBFloat16;
        case CT_DTYPE_INT64: return at::kLong;
        case CT_DTYPE_INT32: return at::kInt;
        case CT_DTYPE_BOOL: return at::kBool;
        case CT_DTYPE_UINT8: return at::kByte;
    }
    TORCH_CHECK(false, "unknown dtype code ", code);
}

int32_t dtype_code(at::ScalarType t) {
    switch (t) {
        case at::kFloat: return CT_DTYPE_FLOAT32;
        case at::kDouble: return CT_DTYPE_FLOAT64;
        case at::kHalf: return CT_DTYPE_FLOAT16;
        case at::kBFloat16: return CT_DTYPE_BFLOAT16;
        case at::kLong: return CT_DTYPE_INT64;
        case at::kInt: return CT_DTYPE_INT32;
        case at::kBool: return CT_DTYPE_BOOL;
        case at::kByte: return CT_DTYPE_UINT8;
        default: return -1;
    }
}

at::MemoryFormat memory_format(int32_t code) {
    switch (code) {
        case CT_MEMORY_FORMAT_CONTIGUOUS: return at::MemoryFormat::Contiguous;
        case CT_MEMORY_FORMAT_CHANNELS_LAST: return at::MemoryFormat::ChannelsLast;
        case CT_MEMORY_FORMAT_CHANNELS_LAST_3D: return at::MemoryFormat::ChannelsLast3d;
    }
    TORCH_CHECK(false, "unknown memory format code ", code);
}

at::Device device(int32_t type, int32_t index) {
    TORCH_CHECK(type == CT_DEVICE_CPU || type == CT_DEVICE_CUDA, "unknown device code ", type);
    if (type == CT_DEVICE_CPU) return at::Device(at::kCPU);
    return at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(index));
}

at::TensorOptions options(int32_t dtype, int32_t device_type, int32_t device_index) {
    return at::TensorOptions().dtype(scalar_type(dtype)).device(device(device_type, device_index));
}

std::vector<at::Tensor> tensor_list(const ct_tensor *hs, int64_t n) {
    std::vector<at::Tensor> v;
    v.reserve(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v.push_back(T(hs[i]));
    return v;
}

void write_list(const std::vector<at::Tensor> &v, ct_tensor *outs, int64_t capacity, int64_t *count) {
    TORCH_CHECK(static_cast<int64_t>(v.size()) <= capacity, "result has ", v.size(),
                " tensors but only ", capacity, " slots were given");
    for (size_t i = 0; i < v.size(); ++i) outs[i] = wrap(v[i]);
    *count = static_cast<int64_t>(v.size());
}

std::vector<int64_t> all_dims(const at::Tensor &x) {
    std::vector<int64_t> d(static_cast<size_t>(x.dim()));
    for (int64_t i = 0; i < x.dim(); ++i) d[static_cast<size_t>(i)] = i;
    return d;
}

// CUDA is switched on at run time: libtorch_cuda.so registers its hooks in static initialisers.
std::mutex cuda_mutex;
bool cuda_attempted = false;
bool cuda_loaded = false;
std::string cuda_failure;

void load_cuda_locked() {
    if (cuda_attempted) return;
    cuda_attempted = true;
    Dl_info info;
    if (dladdr(reinterpret_cast<void *>(&at::show_config), &info) == 0 || info.dli_fname == nullptr) {
        cuda_failure = "could not locate libtorch_cpu.so to find libtorch_cuda.so beside it";
        return;
    }
    std::string path(info.dli_fname);
    auto slash = path.rfind('/');
    std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
    std::string cuda_path = dir + "/libtorch_cuda.so";
    if (dlopen(cuda_path.c_str(), RTLD_NOW | RTLD_GLOBAL) == nullptr) {
        const char *why = dlerror();
        cuda_failure = "could not load " + cuda_path + ": " + (why ? why : "unknown dlopen error");
        return;
    }
    cuda_loaded = true;
}

// A torch.save file holds something other than tensors and plain containers.
struct pickle_refusal {
    int32_t kind;
    std::string detail;
};

std::string join_key(const std::string &prefix, const std::string &key) {
    return prefix.empty() ? key : prefix + "." + key;
}

// Walks plain containers only, collecting tensors under dotted names; anything else is refused.
void collect_tensors(const c10::IValue &value, const std::string &name,
                     std::vector<std::pair<std::string, at::Tensor>> &out) {
    if (value.isTensor()) {
        out.emplace_back(name, value.toTensor());
    } else if (value.isGenericDict()) {
        for (const auto &entry : value.toGenericDict()) {
            const auto &key = entry.key();
            std::string text;
            if (key.isString()) text = key.toStringRef();
            else if (key.isInt()) text = std::to_string(key.toInt());  // optimizer state: {0: {...}}
            else throw pickle_refusal{CT_PICKLE_FOREIGN_OBJECT,
                                      "a dict key of type " + key.type()->str() + " under '" + name + "'"};
            collect_tensors(entry.value(), join_key(name, text), out);
        }
    } else if (value.isList() || value.isTuple()) {
        auto elements = value.isList() ? value.toListRef().vec() : value.toTupleRef().elements().vec();
        for (size_t i = 0; i < elements.size(); ++i) collect_tensors(elements[i], join_key(name, std::to_string(i)), out);
    } else if (value.isNone() || value.isInt() || value.isDouble() || value.isBool() || value.isString() ||
               value.isDevice()) {
        return;
    } else {
        throw pickle_refusal{CT_PICKLE_FOREIGN_OBJECT,
                             value.type()->str() + (name.empty() ? std::string() : " under '" + name + "'")};
    }
}

// LibTorch's unpickler stops at objects it cannot rebuild; its message names the Python type.
std::optional<pickle_refusal> classify_unpickling_error(const std::string &text) {
    const std::string unknown_type = "Unpickler found unknown type ";
    const std::string unknown_main = "Unknown pickler class id";
    if (auto at = text.find(unknown_type); at != std::string::npos) {
        auto rest = text.substr(at + unknown_type.size());
        return pickle_refusal{CT_PICKLE_FOREIGN_OBJECT, rest.substr(0, rest.find_first_of(" \n"))};
    }
    if (auto at = text.find(unknown_main); at != std::string::npos) {
        auto rest = text.substr(at + unknown_main.size());
        auto start = rest.find_first_not_of(' ');
        rest = start == std::string::npos ? std::string() : rest.substr(start);
        return pickle_refusal{CT_PICKLE_FOREIGN_OBJECT, "__main__." + rest.substr(0, rest.find_first_of(" \n"))};
    }
    // torch/csrc/jit/serialization/unpickler.cpp turns collections.OrderedDict into None (it expects one only
    // as a tensor's empty backward hooks), so the SETITEMS that fills a state_dict() fails on None.
    if (text.find("Expected GenericDict but got None") != std::string::npos)
        return pickle_refusal{CT_PICKLE_ORDERED_DICT, "collections.OrderedDict"};
    return std::nullopt;
}

void copy_detail(const std::string &text, char *detail, int64_t capacity) {
    if (detail == nullptr || capacity <= 0) return;
    auto n = std::min<size_t>(text.size(), static_cast<size_t>(capacity - 1));
    std::memcpy(detail, text.data(), n);
    detail[n] = '\0';
}

}  // namespace

extern "C" {

// ---- errors, library, threads ---------------------------------------------------------------

const char *ct_last_error(void) { return last_error.c_str(); }
int64_t ct_live_tensor_count(void) { return live_tensors.load(std::memory_order_relaxed); }
const char *ct_compiled_version(void) { return TORCH_VERSION; }

ct_status ct_runtime_version(char *buffer, int64_t capacity) {
    return guard([&] {
        {
            std::lock_guard<std::mutex> lock(cuda_mutex);
            load_cuda_locked();  // show_config() queries the CUDA hooks; register them first.
        }
        std::string config = at::show_config();
        auto key = config.find("TORCH_VERSION=");
        TORCH_CHECK(key != std::string::npos, "the loaded LibTorch does not report TORCH_VERSION in show_config()");
        auto start = key + std::strlen("TORCH_VERSION=");
        auto end = config.find_first_of(", \n", start);
        std::string version = config.substr(start, end == std::string::npos ? std::string::npos : end - start);
        TORCH_CHECK(static_cast<int64_t>(version.size()) < capacity, "version buffer too small");
        std::memcpy(buffer, version.c_str(), version.size() + 1);
    });
}

ct_status ct_set_num_threads(int32_t count) { return guard([&] { at::set_num_threads(count); }); }
int32_t ct_get_num_threads(void) { return at::get_num_threads(); }

ct_status ct_manual_seed(uint64_t seed) {
    return guard([&] {
        auto g = at::detail::getDefaultCPUGenerator();
        std::lock_guard<std::mutex> lock(g.mutex());
        g.set_current_seed(seed);
    });
}

// ---- CUDA -----------------------------------------------------------------------------------

ct_status ct_cuda_load(void) {
    return guard([&] {
        std::lock_guard<std::mutex> lock(cuda_mutex);
        load_cuda_locked();
        TORCH_CHECK(cuda_loaded, cuda_failure);
        TORCH_CHECK(at::globalContext().hasCUDA(),
                    "libtorch_cuda.so loaded, but no CUDA device or driver is visible to this process");
    });
}

bool ct_cuda_is_available(void) {
    std::lock_guard<std::mutex> lock(cuda_mutex);
    load_cuda_locked();
    if (!cuda_loaded) return false;
    try {
        return at::globalContext().hasCUDA();
    } catch (...) {
        return false;
    }
}

int32_t ct_cuda_device_count(void) {
    if (!ct_cuda_is_available()) return 0;
    try {
        return static_cast<int32_t>(at::detail::getCUDAHooks().deviceCount());
    } catch (...) {
        return 0;
    }
}

ct_status ct_cuda_synchronize(int32_t device_index) {
    return guard([&] { at::detail::getCUDAHooks().deviceSynchronize(static_cast<c10::DeviceIndex>(device_index)); });
}

ct_status ct_cuda_device_info(int32_t device_index, char *name, int64_t name_capacity, int64_t *total_bytes,
                              int32_t *major, int32_t *minor) {
    return guard([&] {
        TORCH_CHECK(ct_cuda_is_available(), "CUDA is not available");
        // cudaDeviceProp begins with `char name[256]`; libcudart is already loaded by libtorch_cpu.
        using props_fn = int (*)(void *, int);
        auto fn = reinterpret_cast<props_fn>(dlsym(RTLD_DEFAULT, "cudaGetDeviceProperties_v2"));
        if (fn == nullptr) fn = reinterpret_cast<props_fn>(dlsym(RTLD_DEFAULT, "cudaGetDeviceProperties"));
        TORCH_CHECK(fn != nullptr, "cudaGetDeviceProperties not found in the loaded CUDA runtime");
        std::vector<char> props(16384, 0);
        TORCH_CHECK(fn(props.data(), device_index) == 0, "cudaGetDeviceProperties failed for device ", device_index);
        std::string device_name(props.data(), strnlen(props.data(), 256));
        auto n = std::min<size_t>(device_name.size(), static_cast<size_t>(name_capacity - 1));
        std::memcpy(name, device_name.data(), n);
        name[n] = '\0';
        using mem_fn = int (*)(size_t *, size_t *);
        auto mem = reinterpret_cast<mem_fn>(dlsym(RTLD_DEFAULT, "cudaMemGetInfo"));
        size_t free_bytes = 0, total = 0;
        if (mem != nullptr) {
            using set_fn = int (*)(int);
            auto set_device = reinterpret_cast<set_fn>(dlsym(RTLD_DEFAULT, "cudaSetDevice"));
            if (set_device != nullptr) set_device(device_index);
            mem(&free_bytes, &total);
        }
        *total_bytes = static_cast<int64_t>(total);
        *major = 0;
        *minor = 0;
        using attr_fn = int (*)(int *, int, int);
        auto attr = reinterpret_cast<attr_fn>(dlsym(RTLD_DEFAULT, "cudaDeviceGetAttribute"));
        if (attr != nullptr) {
            attr(major, 75, device_index);  // cudaDevAttrComputeCapabilityMajor
            attr(minor, 76, device_index);  // cudaDevAttrComputeCapabilityMinor
        }
    });
}

ct_status ct_cuda_memory_stats(int32_t device_index, int64_t *allocated, int64_t *peak_allocated, int64_t *reserved,
                               int64_t *peak_reserved) {
    return guard([&] {
        TORCH_CHECK(ct_cuda_is_available(), "CUDA is not available");
        auto stats = at::getDeviceAllocator(at::kCUDA)->getDeviceStats(static_cast<c10::DeviceIndex>(device_index));
        auto all = static_cast<size_t>(c10::CachingAllocator::StatType::AGGREGATE);
        *allocated = stats.allocated_bytes[all].current;
        *peak_allocated = stats.allocated_bytes[all].peak;
        *reserved = stats.reserved_bytes[all].current;
        *peak_reserved = stats.reserved_bytes[all].peak;
    });
}

ct_status ct_cuda_empty_cache(void) {
    return guard([&] {
        if (ct_cuda_is_available()) at::getDeviceAllocator(at::kCUDA)->emptyCache();
    });
}

// ---- generators -----------------------------------------------------------------------------

ct_status ct_generator_new(int32_t device_type, int32_t device_index, uint64_t seed, ct_generator *out) {
    return guard([&] {
        at::Generator g;
        if (device_type == CT_DEVICE_CPU) {
            g = at::make_generator<at::CPUGeneratorImpl>(seed);
        } else {
            TORCH_CHECK(ct_cuda_is_available(), "CUDA is not available: ", cuda_failure);
            g = at::detail::getCUDAHooks().getNewGenerator(static_cast<c10::DeviceIndex>(device_index));
            std::lock_guard<std::mutex> lock(g.mutex());
            g.set_current_seed(seed);
        }
        *out = new ct_generator_s{std::move(g)};
    });
}

void ct_generator_free(ct_generator g) { delete g; }

ct_status ct_generator_set_seed(ct_generator g, uint64_t seed) {
    return guard([&] {
        std::lock_guard<std::mutex> lock(g->value.mutex());
        g->value.set_current_seed(seed);
    });
}

ct_status ct_generator_get_state(ct_generator g, ct_tensor *out) {
    return guard([&] {
        std::lock_guard<std::mutex> lock(g->value.mutex());
        *out = wrap(g->value.get_state());
    });
}

ct_status ct_generator_set_state(ct_generator g, ct_tensor state) {
    return guard([&] {
        std::lock_guard<std::mutex> lock(g->value.mutex());
        g->value.set_state(T(state));
    });
}

// ---- tensor lifetime and metadata ----------------------------------------------------------

void ct_tensor_free(ct_tensor t) {
    if (t == nullptr) return;
    delete t;
    live_tensors.fetch_sub(1, std::memory_order_relaxed);
}

int64_t ct_tensor_ndim(ct_tensor t) { return t->value.dim(); }

void ct_tensor_shape(ct_tensor t, int64_t *sizes, int64_t capacity) {
    auto s = t->value.sizes();
    for (int64_t i = 0; i < std::min<int64_t>(capacity, static_cast<int64_t>(s.size())); ++i) sizes[i] = s[i];
}

int64_t ct_tensor_numel(ct_tensor t) { return t->value.numel(); }
int32_t ct_tensor_dtype(ct_tensor t) { return dtype_code(t->value.scalar_type()); }

void ct_tensor_device(ct_tensor t, int32_t *type, int32_t *index) {
    auto d = t->value.device();
    *type = d.is_cuda() ? CT_DEVICE_CUDA : CT_DEVICE_CPU;
    *index = d.has_index() ? d.index() : 0;
}

bool ct_tensor_requires_grad(ct_tensor t) { return t->value.requires_grad(); }
bool ct_tensor_is_contiguous(ct_tensor t) { return t->value.is_contiguous(); }
bool ct_tensor_is_leaf(ct_tensor t) { return t->value.is_leaf(); }

// ---- creation and copies -------------------------------------------------------------------

ct_status ct_tensor_from_blob(const void *data, int64_t nbytes, const int64_t *shape, int64_t ndim, int32_t dtype,
                              ct_tensor *out) {
    return guard([&] {
        auto opts = at::TensorOptions().dtype(scalar_type(dtype));
        int64_t numel = 1;
        for (int64_t i = 0; i < ndim; ++i) numel *= shape[i];
        int64_t expected = numel * static_cast<int64_t>(c10::elementSize(scalar_type(dtype)));
        TORCH_CHECK(expected == nbytes, "buffer has ", nbytes, " bytes but shape ", ints(shape, ndim), " needs ",
                    expected);
        auto result = at::empty(ints(shape, ndim), opts);
        if (nbytes > 0) std::memcpy(result.data_ptr(), data, static_cast<size_t>(nbytes));
        *out = wrap(result);
    });
}

ct_status ct_tensor_copy_to_buffer(ct_tensor t, void *data, int64_t nbytes) {
    return guard([&] {
        auto c = T(t).detach().to(at::kCPU).contiguous();
        TORCH_CHECK(static_cast<int64_t>(c.nbytes()) == nbytes, "tensor has ", c.nbytes(), " bytes but the buffer has ",
                    nbytes);
        if (nbytes > 0) std::memcpy(data, c.data_ptr(), static_cast<size_t>(nbytes));
    });
}

ct_status ct_tensor_item_double(ct_tensor t, double *out) {
    return guard([&] { *out = T(t).item<double>(); });
}
ct_status ct_tensor_item_int64(ct_tensor t, int64_t *out) {
    return guard([&] { *out = T(t).item<int64_t>(); });
}

ct_status ct_tensor_empty(const int64_t *shape, int64_t ndim, int32_t dtype, int32_t device_type, int32_t device_index,
                          ct_tensor *out) {
    return guard([&] { *out = wrap(at::empty(ints(shape, ndim), options(dtype, device_type, device_index))); });
}

ct_status ct_tensor_full(const int64_t *shape, int64_t ndim, double value, int32_t dtype, int32_t device_type,
                         int32_t device_index, ct_tensor *out) {
    return guard(
        [&] { *out = wrap(at::full(ints(shape, ndim), value, options(dtype, device_type, device_index))); });
}

ct_status ct_tensor_arange(double start, double end, double step, int32_t dtype, int32_t device_type,
                           int32_t device_index, ct_tensor *out) {
    return guard([&] { *out = wrap(at::arange(start, end, step, options(dtype, device_type, device_index))); });
}

ct_status ct_tensor_linspace(double start, double end, int64_t steps, int32_t dtype, int32_t device_type,
                             int32_t device_index, ct_tensor *out) {
    return guard([&] { *out = wrap(at::linspace(start, end, steps, options(dtype, device_type, device_index))); });
}

ct_status ct_tensor_eye(int64_t n, int64_t m, int32_t dtype, int32_t device_type, int32_t device_index,
                        ct_tensor *out) {
    return guard([&] { *out = wrap(at::eye(n, m, options(dtype, device_type, device_index))); });
}

ct_status ct_tensor_to(ct_tensor t, int32_t dtype, int32_t device_type, int32_t device_index, ct_tensor *out) {
    return guard([&] {
        const auto &x = T(t);
        auto st = dtype < 0 ? x.scalar_type() : scalar_type(dtype);
        auto dev = device_type < 0 ? x.device() : device(device_type, device_index);
        *out = wrap(x.to(dev, st));
    });
}

ct_status ct_tensor_clone(ct_tensor t, ct_tensor *out) {
    return guard([&] { *out = wrap(T(t).clone()); });
}

ct_status ct_tensor_shallow_copy(ct_tensor t, ct_tensor *out) {
    return guard([&] { *out = wrap(T(t)); });
}

// ---- random ---------------------------------------------------------------------------------

ct_status ct_tensor_randn(const int64_t *shape, int64_t ndim, int32_t dtype, int32_t device_type,
                          int32_t device_index, ct_generator g, ct_tensor *out) {
    return guard(
        [&] { *out = wrap(at::randn(ints(shape, ndim), gen(g), options(dtype, device_type, device_index))); });
}

ct_status ct_tensor_rand(const int64_t *shape, int64_t ndim, int32_t dtype, int32_t device_type, int32_t device_index,
                         ct_generator g, ct_tensor *out) {
    return guard(
        [&] { *out = wrap(at::rand(ints(shape, ndim), gen(g), options(dtype, device_type, device_index))); });
}

ct_status ct_tensor_randint(int64_t low, int64_t high, const int64_t *shape, int64_t ndim, int32_t dtype,
                            int32_t device_type, int32_t device_index, ct_generator g, ct_tensor *out) {
    return guard([&] {
        *out = wrap(at::randint(low, high, ints(shape, ndim), gen(g), options(dtype, device_type, device_index)));
    });
}

ct_status ct_tensor_randperm(int64_t n, int32_t dtype, int32_t device_type, int32_t device_index, ct_generator g,
                             ct_tensor *out) {
    return guard([&] { *out = wrap(at::randperm(n, gen(g), options(dtype, device_type, device_index))); });
}

ct_status ct_tensor_normal_(ct_tensor t, double mean, double std, ct_generator g) {
    return guard([&] { t->value.normal_(mean, std, gen(g)); });
}

ct_status ct_tensor_uniform_(ct_tensor t, double low, double high, ct_generator g) {
    return guard([&] { t->value.uniform_(low, high, gen(g)); });
}

ct_status ct_tensor_bernoulli(ct_tensor p, ct_generator g, ct_tensor *out) {
    return guard([&] { *out = wrap(at::bernoulli(T(p), gen(g))); });
}

ct_status ct_tensor_multinomial(ct_tensor p, int64_t count, bool replacement, ct_generator g, ct_tensor *out) {
    return guard([&] { *out = wrap(at::multinomial(T(p), count, replacement, gen(g))); });
}

// ---- element-wise -----------------------------------------------------------------------------

#define CT_DEFINE_UNARY(name) \
    ct_status ct_tensor_##name(ct_tensor x, ct_tensor *out) { return guard([&] { *out = wrap(at::name(T(x))); }); }
#define CT_DEFINE_BINARY(name)                                           \
    ct_status ct_tensor_##name(ct_tensor a, ct_tensor b, ct_tensor *out) { \
        return guard([&] { *out = wrap(at::name(T(a), T(b))); });        \
    }
#define CT_DEFINE_SCALAR(name)                                                   \
    ct_status ct_tensor_##name##_scalar(ct_tensor a, double s, ct_tensor *out) { \
        return guard([&] { *out = wrap(at::name(T(a), at::Scalar(s))); });      \
    }
CT_UNARY_OPS(CT_DEFINE_UNARY)
CT_BINARY_OPS(CT_DEFINE_BINARY)
CT_DEFINE_SCALAR(add)
CT_DEFINE_SCALAR(div)
CT_DEFINE_SCALAR(eq)
CT_DEFINE_SCALAR(fmod)
CT_DEFINE_SCALAR(ge)
CT_DEFINE_SCALAR(gt)
CT_DEFINE_SCALAR(le)
CT_DEFINE_SCALAR(lt)
CT_DEFINE_SCALAR(mul)
CT_DEFINE_SCALAR(ne)
CT_DEFINE_SCALAR(pow)
CT_DEFINE_SCALAR(remainder)
CT_DEFINE_SCALAR(sub)

ct_status ct_tensor_rsub_scalar(ct_tensor a, double s, ct_tensor *out) {
    return guard([&] { *out = wrap(at::rsub(T(a), at::Scalar(s))); });
}
ct_status ct_tensor_rdiv_scalar(ct_tensor a, double s, ct_tensor *out) {
    return guard([&] {
        const auto &x = T(a);
        auto numerator = at::scalar_tensor(s, x.options().dtype(at::kDouble));
        // Promote like a Python scalar (as a / s does): without the wrapped-number flag a 0-dim
        // float64 tensor made s / int_tensor float64 while int_tensor / s is float32.
        numerator.unsafeGetTensorImpl()->set_wrapped_number(true);
        *out = wrap(at::div(numerator, x));
    });
}
ct_status ct_tensor_rpow_scalar(ct_tensor a, double s, ct_tensor *out) {
    return guard([&] { *out = wrap(at::pow(at::Scalar(s), T(a))); });
}

ct_status ct_tensor_clamp(ct_tensor x, double min, bool has_min, double max, bool has_max, ct_tensor *out) {
    return guard([&] {
        std::optional<at::Scalar> lo = has_min ? std::optional<at::Scalar>(min) : std::nullopt;
        std::optional<at::Scalar> hi = has_max ? std::optional<at::Scalar>(max) : std::nullopt;
        *out = wrap(at::clamp(T(x), lo, hi));
    });
}

ct_status ct_tensor_clamp_tensor(ct_tensor x, ct_tensor min, ct_tensor max, ct_tensor *out) {
    return guard([&] { *out = wrap(at::clamp(T(x), opt(min), opt(max))); });
}

ct_status ct_tensor_logit(ct_tensor x, double eps, ct_tensor *out) {
    return guard([&] {
        std::optional<double> e = eps < 0 ? std::nullopt : std::optional<double>(eps);
        *out = wrap(at::logit(T(x), e));
    });
}

ct_status ct_tensor_leaky_relu(ct_tensor x, double slope, ct_tensor *out) {
    return guard([&] { *out = wrap(at::leaky_relu(T(x), slope)); });
}

ct_status ct_tensor_softplus(ct_tensor x, double beta, double threshold, ct_tensor *out) {
    return guard([&] { *out = wrap(at::softplus(T(x), beta, threshold)); });
}

ct_status ct_tensor_gelu_tanh(ct_tensor x, ct_tensor *out) {
    return guard([&] { *out = wrap(at::gelu(T(x), "tanh")); });
}

ct_status ct_tensor_where(ct_tensor c, ct_tensor a, ct_tensor b, ct_tensor *out) {
    return guard([&] { *out = wrap(at::where(T(c), T(a), T(b))); });
}

ct_status ct_tensor_masked_fill(ct_tensor x, ct_tensor mask, double value, ct_tensor *out) {
    return guard([&] { *out = wrap(T(x).masked_fill(T(mask), value)); });
}

ct_status ct_tensor_lerp(ct_tensor a, ct_tensor b, double weight, ct_tensor *out) {
    return guard([&] { *out = wrap(at::lerp(T(a), T(b), weight)); });
}

// ---- shape and indexing ----------------------------------------------------------------------

ct_status ct_tensor_reshape(ct_tensor x, const int64_t *shape, int64_t ndim, ct_tensor *out) {
    return guard([&] { *out = wrap(T(x).reshape(ints(shape, ndim))); });
}
ct_status ct_tensor_view(ct_tensor x, const int64_t *shape, int64_t ndim, ct_tensor *out) {
    return guard([&] { *out = wrap(T(x).view(ints(shape, ndim))); });
}
ct_status ct_tensor_permute(ct_tensor x, const int64_t *dims, int64_t count, ct_tensor *out) {
    return guard([&] { *out = wrap(T(x).permute(ints(dims, count))); });
}
ct_status ct_tensor_transpose(ct_tensor x, int64_t d0, int64_t d1, ct_tensor *out) {
    return guard([&] { *out = wrap(T(x).transpose(d0, d1)); });
}
ct_status ct_tensor_squeeze(ct_tensor x, const int64_t *dims, int64_t count, ct_tensor *out) {
    return guard([&] { *out = wrap(count == 0 ? T(x).squeeze() : T(x).squeeze(ints(dims, count))); });
}
ct_status ct_tensor_unsqueeze(ct_tensor x, int64_t dim, ct_tensor *out) {
    return guard([&] { *out = wrap(T(x).unsqueeze(dim)); });
}
ct_status ct_tensor_expand(ct_tensor x, const int64_t *shape, int64_t ndim, ct_tensor *out) {
    return guard([&] { *out = wrap(T(x).expand(ints(shape, ndim))); });
}
ct_status ct_tensor_repeat(ct_tensor x, const int64_t *repeats, int64_t count, ct_tensor *out) {
    return guard([&] { *out = wrap(T(x).repeat(ints(repeats, count))); });
}
ct_status ct_tensor_contiguous(ct_tensor x, ct_tensor *out) {
    return guard([&] { *out = wrap(T(x).contiguous()); });
}
ct_status ct_tensor_flatten(ct_tensor x, int64_t start, int64_t end, ct_tensor *out) {
    return guard([&] { *out = wrap(T(x).flatten(start, end)); });
}
ct_status ct_tensor_cat(const ct_tensor *ts, int64_t count, int64_t dim, ct_tensor *out) {
    return guard([&] { *out = wrap(at::cat(tensor_list(ts, count), dim)); });
}
ct_status ct_tensor_stack(const ct_tensor *ts, int64_t count, int64_t dim, ct_tensor *out) {
    return guard([&] { *out = wrap(at::stack(tensor_list(ts, count), dim)); });
}
ct_status ct_tensor_split(ct_tensor x, int64_t size, int64_t dim, ct_tensor *outs, int64_t capacity, int64_t *count) {
    return guard([&] { write_list(T(x).split(size, dim), outs, capacity, count); });
}
ct_status ct_tensor_chunk(ct_tensor x, int64_t chunks, int64_t dim, ct_tensor *outs, int64_t capacity,
                          int64_t *count) {
    return guard([&] { write_list(T(x).chunk(chunks, dim), outs, capacity, count); });
}
ct_status ct_tensor_narrow(ct_tensor x, int64_t dim, int64_t start, int64_t length, ct_tensor *out) {
    return guard([&] { *out = wrap(T(x).narrow(dim, start, length)); });
}
ct_status ct_tensor_select(ct_tensor x, int64_t dim, int64_t index, ct_tensor *out) {
    return guard([&] { *out = wrap(T(x).select(dim, index)); });
}
ct_status ct_tensor_slice(ct_tensor x, int64_t dim, int64_t start, int64_t end, int64_t step, ct_tensor *out) {
    return guard([&] { *out = wrap(T(x).slice(dim, start, end, step)); });
}
ct_status ct_tensor_index_select(ct_tensor x, int64_t dim, ct_tensor index, ct_tensor *out) {
    return guard([&] { *out = wrap(at::index_select(T(x), dim, T(index))); });
}
ct_status ct_tensor_masked_select(ct_tensor x, ct_tensor mask, ct_tensor *out) {
    return guard([&] { *out = wrap(at::masked_select(T(x), T(mask))); });
}
ct_status ct_tensor_gather(ct_tensor x, int64_t dim, ct_tensor index, ct_tensor *out) {
    return guard([&] { *out = wrap(at::gather(T(x), dim, T(index))); });
}
ct_status ct_tensor_scatter_add(ct_tensor x, int64_t dim, ct_tensor index, ct_tensor source, ct_tensor *out) {
    return guard([&] { *out = wrap(at::scatter_add(T(x), dim, T(index), T(source))); });
}
ct_status ct_tensor_index_add(ct_tensor x, int64_t dim, ct_tensor index, ct_tensor source, ct_tensor *out) {
    return guard([&] { *out = wrap(at::index_add(T(x), dim, T(index), T(source))); });
}
ct_status ct_tensor_flip(ct_tensor x, const int64_t *dims, int64_t count, ct_tensor *out) {
    return guard([&] { *out = wrap(at::flip(T(x), ints(dims, count))); });
}
ct_status ct_tensor_roll(ct_tensor x, const int64_t *shifts, const int64_t *dims, int64_t count, ct_tensor *out) {
    return guard([&] { *out = wrap(at::roll(T(x), ints(shifts, count), ints(dims, count))); });
}
ct_status ct_tensor_pad(ct_tensor x, const int64_t *pad, int64_t count, int32_t mode, double value, ct_tensor *out) {
    return guard([&] {
        const char *name = mode == CT_PAD_CIRCULAR    ? "circular"
                           : mode == CT_PAD_REPLICATE ? "replicate"
                           : mode == CT_PAD_REFLECT   ? "reflect"
                                                      : "constant";
        std::optional<double> v = mode == CT_PAD_CONSTANT ? std::optional<double>(value) : std::nullopt;
        *out = wrap(at::pad(T(x), ints(pad, count), name, v));
    });
}
ct_status ct_tensor_tril(ct_tensor x, int64_t diagonal, ct_tensor *out) {
    return guard([&] { *out = wrap(at::tril(T(x), diagonal)); });
}
ct_status ct_tensor_triu(ct_tensor x, int64_t diagonal, ct_tensor *out) {
    return guard([&] { *out = wrap(at::triu(T(x), diagonal)); });
}
ct_status ct_tensor_nonzero(ct_tensor x, ct_tensor *out) {
    return guard([&] { *out = wrap(at::nonzero(T(x))); });
}
ct_status ct_tensor_bucketize(ct_tensor x, ct_tensor boundaries, bool right, ct_tensor *out) {
    return guard([&] { *out = wrap(at::bucketize(T(x), T(boundaries), false, right)); });
}

// ---- reductions -------------------------------------------------------------------------------

static at::OptionalIntArrayRef opt_dims(const int64_t *dims, int64_t count) {
    if (count == 0) return std::nullopt;
    return ints(dims, count);
}

ct_status ct_tensor_sum(ct_tensor x, const int64_t *dims, int64_t count, bool keepdim, ct_tensor *out) {
    return guard([&] { *out = wrap(at::sum(T(x), opt_dims(dims, count), keepdim)); });
}
ct_status ct_tensor_mean(ct_tensor x, const int64_t *dims, int64_t count, bool keepdim, ct_tensor *out) {
    return guard([&] { *out = wrap(at::mean(T(x), opt_dims(dims, count), keepdim)); });
}
ct_status ct_tensor_var(ct_tensor x, const int64_t *dims, int64_t count, int64_t correction, bool keepdim,
                        ct_tensor *out) {
    return guard([&] { *out = wrap(at::var(T(x), opt_dims(dims, count), at::Scalar(correction), keepdim)); });
}
ct_status ct_tensor_std(ct_tensor x, const int64_t *dims, int64_t count, int64_t correction, bool keepdim,
                        ct_tensor *out) {
    return guard([&] { *out = wrap(at::std(T(x), opt_dims(dims, count), at::Scalar(correction), keepdim)); });
}
ct_status ct_tensor_amin(ct_tensor x, const int64_t *dims, int64_t count, bool keepdim, ct_tensor *out) {
    return guard([&] { *out = wrap(at::amin(T(x), ints(dims, count), keepdim)); });
}
ct_status ct_tensor_amax(ct_tensor x, const int64_t *dims, int64_t count, bool keepdim, ct_tensor *out) {
    return guard([&] { *out = wrap(at::amax(T(x), ints(dims, count), keepdim)); });
}
ct_status ct_tensor_logsumexp(ct_tensor x, const int64_t *dims, int64_t count, bool keepdim, ct_tensor *out) {
    return guard([&] {
        auto d = count == 0 ? all_dims(T(x)) : std::vector<int64_t>(dims, dims + count);
        *out = wrap(at::logsumexp(T(x), d, keepdim));
    });
}
ct_status ct_tensor_norm(ct_tensor x, double p, const int64_t *dims, int64_t count, bool keepdim, ct_tensor *out) {
    return guard([&] { *out = wrap(at::linalg_vector_norm(T(x), p, opt_dims(dims, count), keepdim)); });
}
ct_status ct_tensor_all(ct_tensor x, ct_tensor *out) {
    return guard([&] { *out = wrap(T(x).all()); });
}
ct_status ct_tensor_any(ct_tensor x, ct_tensor *out) {
    return guard([&] { *out = wrap(T(x).any()); });
}
ct_status ct_tensor_min_dim(ct_tensor x, int64_t dim, bool keepdim, ct_tensor *values, ct_tensor *indices) {
    return guard([&] {
        auto r = at::min(T(x), dim, keepdim);
        *values = wrap(std::get<0>(r));
        *indices = wrap(std::get<1>(r));
    });
}
ct_status ct_tensor_max_dim(ct_tensor x, int64_t dim, bool keepdim, ct_tensor *values, ct_tensor *indices) {
    return guard([&] {
        auto r = at::max(T(x), dim, keepdim);
        *values = wrap(std::get<0>(r));
        *indices = wrap(std::get<1>(r));
    });
}
ct_status ct_tensor_argmax(ct_tensor x, int64_t dim, bool keepdim, ct_tensor *out) {
    return guard([&] { *out = wrap(at::argmax(T(x), dim, keepdim)); });
}
ct_status ct_tensor_argmin(ct_tensor x, int64_t dim, bool keepdim, ct_tensor *out) {
    return guard([&] { *out = wrap(at::argmin(T(x), dim, keepdim)); });
}
ct_status ct_tensor_cumsum(ct_tensor x, int64_t dim, ct_tensor *out) {
    return guard([&] { *out = wrap(at::cumsum(T(x), dim)); });
}
ct_status ct_tensor_cumprod(ct_tensor x, int64_t dim, ct_tensor *out) {
    return guard([&] { *out = wrap(at::cumprod(T(x), dim)); });
}
ct_status ct_tensor_topk(ct_tensor x, int64_t k, int64_t dim, bool largest, bool sorted, ct_tensor *values,
                         ct_tensor *indices) {
    return guard([&] {
        auto r = at::topk(T(x), k, dim, largest, sorted);
        *values = wrap(std::get<0>(r));
        *indices = wrap(std::get<1>(r));
    });
}
ct_status ct_tensor_sort(ct_tensor x, int64_t dim, bool descending, ct_tensor *values, ct_tensor *indices) {
    return guard([&] {
        auto r = at::sort(T(x), dim, descending);
        *values = wrap(std::get<0>(r));
        *indices = wrap(std::get<1>(r));
    });
}
ct_status ct_tensor_quantile(ct_tensor x, ct_tensor q, int64_t dim, bool has_dim, bool keepdim, ct_tensor *out) {
    return guard([&] {
        std::optional<int64_t> d = has_dim ? std::optional<int64_t>(dim) : std::nullopt;
        *out = wrap(at::quantile(T(x), T(q), d, keepdim));
    });
}
ct_status ct_tensor_histc(ct_tensor x, int64_t bins, double min, double max, ct_tensor *out) {
    return guard([&] { *out = wrap(at::histc(T(x), bins, min, max)); });
}

// ---- linear algebra ---------------------------------------------------------------------------

ct_status ct_tensor_matmul(ct_tensor a, ct_tensor b, ct_tensor *out) {
    return guard([&] { *out = wrap(at::matmul(T(a), T(b))); });
}
ct_status ct_tensor_bmm(ct_tensor a, ct_tensor b, ct_tensor *out) {
    return guard([&] { *out = wrap(at::bmm(T(a), T(b))); });
}
ct_status ct_tensor_einsum(const char *equation, const ct_tensor *ts, int64_t count, ct_tensor *out) {
    return guard([&] { *out = wrap(at::einsum(equation, tensor_list(ts, count))); });
}
ct_status ct_linalg_eigh(ct_tensor x, bool upper, ct_tensor *eigenvalues, ct_tensor *eigenvectors) {
    return guard([&] {
        auto r = at::linalg_eigh(T(x), upper ? "U" : "L");
        *eigenvalues = wrap(std::get<0>(r));
        *eigenvectors = wrap(std::get<1>(r));
    });
}
ct_status ct_tensor_cdist(ct_tensor a, ct_tensor b, double p, ct_tensor *out) {
    return guard([&] { *out = wrap(at::cdist(T(a), T(b), p)); });
}

// ---- neural-network functions ------------------------------------------------------------------

ct_status ct_nn_linear(ct_tensor x, ct_tensor weight, ct_tensor bias, ct_tensor *out) {
    return guard([&] { *out = wrap(at::linear(T(x), T(weight), opt(bias))); });
}

ct_status ct_nn_convolution(ct_tensor x, ct_tensor weight, ct_tensor bias, const int64_t *stride,
                            const int64_t *padding, const int64_t *dilation, int64_t spatial_dims, bool transposed,
                            const int64_t *output_padding, int64_t groups, ct_tensor *out) {
    return guard([&] {
        std::vector<int64_t> zeros(static_cast<size_t>(spatial_dims), 0);
        auto op = output_padding ? ints(output_padding, spatial_dims) : at::IntArrayRef(zeros);
        auto s = ints(stride, spatial_dims), p = ints(padding, spatial_dims), d = ints(dilation, spatial_dims);
        // The named conv1d/2d/3d and conv_transpose1d/2d/3d ops, not at::convolution: CPU autocast has kernels
        // for them only (aten/src/ATen/autocast_mode.cpp), so at::convolution would stay in float32 under
        // autocast on CPU. Both reach the same convolution kernels.
        at::Tensor y;
        if (!transposed && spatial_dims == 1) y = at::conv1d(T(x), T(weight), opt(bias), s, p, d, groups);
        else if (!transposed && spatial_dims == 2) y = at::conv2d(T(x), T(weight), opt(bias), s, p, d, groups);
        else if (!transposed && spatial_dims == 3) y = at::conv3d(T(x), T(weight), opt(bias), s, p, d, groups);
        else if (transposed && spatial_dims == 1) y = at::conv_transpose1d(T(x), T(weight), opt(bias), s, p, op, groups, d);
        else if (transposed && spatial_dims == 2) y = at::conv_transpose2d(T(x), T(weight), opt(bias), s, p, op, groups, d);
        else if (transposed && spatial_dims == 3) y = at::conv_transpose3d(T(x), T(weight), opt(bias), s, p, op, groups, d);
        else y = at::convolution(T(x), T(weight), opt(bias), s, p, d, transposed, op, groups);
        *out = wrap(std::move(y));
    });
}

ct_status ct_nn_group_norm(ct_tensor x, int64_t groups, ct_tensor weight, ct_tensor bias, double eps,
                           ct_tensor *out) {
    return guard([&] { *out = wrap(at::group_norm(T(x), groups, opt(weight), opt(bias), eps)); });
}

ct_status ct_nn_layer_norm(ct_tensor x, const int64_t *shape, int64_t count, ct_tensor weight, ct_tensor bias,
                           double eps, ct_tensor *out) {
    return guard([&] { *out = wrap(at::layer_norm(T(x), ints(shape, count), opt(weight), opt(bias), eps)); });
}

ct_status ct_nn_batch_norm(ct_tensor x, ct_tensor weight, ct_tensor bias, ct_tensor running_mean,
                           ct_tensor running_var, bool training, double momentum, double eps, ct_tensor *out) {
    return guard([&] {
        *out = wrap(at::batch_norm(T(x), opt(weight), opt(bias), opt(running_mean), opt(running_var), training,
                                   momentum, eps, true));
    });
}

ct_status ct_nn_dropout(ct_tensor x, double p, bool training, ct_generator g, ct_tensor *out) {
    return guard([&] {
        TORCH_CHECK(p >= 0 && p <= 1, "dropout probability must be in [0, 1], got ", p);
        const auto &v = T(x);
        if (!training || p == 0) {
            *out = wrap(v);
            return;
        }
        if (p == 1) {
            *out = wrap(v * 0);
            return;
        }
        auto keep = at::empty_like(v).bernoulli_(1 - p, gen(g));
        *out = wrap(v * keep / (1 - p));
    });
}

ct_status ct_nn_softmax(ct_tensor x, int64_t dim, ct_tensor *out) {
    return guard([&] { *out = wrap(at::softmax(T(x), dim)); });
}
ct_status ct_nn_log_softmax(ct_tensor x, int64_t dim, ct_tensor *out) {
    return guard([&] { *out = wrap(at::log_softmax(T(x), dim)); });
}

ct_status ct_nn_avg_pool(ct_tensor x, const int64_t *kernel, const int64_t *stride, const int64_t *padding,
                         int64_t n, ct_tensor *out) {
    return guard([&] {
        auto k = ints(kernel, n), s = ints(stride, n), p = ints(padding, n);
        if (n == 1) *out = wrap(at::avg_pool1d(T(x), k, s, p));
        else if (n == 2) *out = wrap(at::avg_pool2d(T(x), k, s, p));
        else if (n == 3) *out = wrap(at::avg_pool3d(T(x), k, s, p));
        else TORCH_CHECK(false, "avg_pool supports 1, 2 or 3 spatial dims, got ", n);
    });
}

ct_status ct_nn_max_pool(ct_tensor x, const int64_t *kernel, const int64_t *stride, const int64_t *padding,
                         int64_t n, ct_tensor *out) {
    return guard([&] {
        auto k = ints(kernel, n), s = ints(stride, n), p = ints(padding, n);
        std::vector<int64_t> ones(static_cast<size_t>(n), 1);
        if (n == 1) *out = wrap(at::max_pool1d(T(x), k, s, p, ones));
        else if (n == 2) *out = wrap(at::max_pool2d(T(x), k, s, p, ones));
        else if (n == 3) *out = wrap(at::max_pool3d(T(x), k, s, p, ones));
        else TORCH_CHECK(false, "max_pool supports 1, 2 or 3 spatial dims, got ", n);
    });
}

ct_status ct_nn_adaptive_avg_pool(ct_tensor x, const int64_t *size, int64_t n, ct_tensor *out) {
    return guard([&] {
        if (n == 1) *out = wrap(at::adaptive_avg_pool1d(T(x), ints(size, n)));
        else if (n == 2) *out = wrap(at::adaptive_avg_pool2d(T(x), ints(size, n)));
        else if (n == 3) *out = wrap(at::adaptive_avg_pool3d(T(x), ints(size, n)));
        else TORCH_CHECK(false, "adaptive_avg_pool supports 1, 2 or 3 spatial dims, got ", n);
    });
}

ct_status ct_nn_upsample_nearest(ct_tensor x, const int64_t *size, int64_t n, ct_tensor *out) {
    return guard([&] {
        if (n == 1) *out = wrap(at::upsample_nearest1d(T(x), ints(size, n)));
        else if (n == 2) *out = wrap(at::upsample_nearest2d(T(x), ints(size, n)));
        else if (n == 3) *out = wrap(at::upsample_nearest3d(T(x), ints(size, n)));
        else TORCH_CHECK(false, "upsample_nearest supports 1, 2 or 3 spatial dims, got ", n);
    });
}

ct_status ct_nn_embedding(ct_tensor weight, ct_tensor indices, ct_tensor *out) {
    return guard([&] { *out = wrap(at::embedding(T(weight), T(indices))); });
}

ct_status ct_nn_scaled_dot_product_attention(ct_tensor q, ct_tensor k, ct_tensor v, ct_tensor mask, bool is_causal,
                                             double scale, ct_tensor *out) {
    return guard([&] {
        std::optional<double> s = scale > 0 ? std::optional<double>(scale) : std::nullopt;
        *out = wrap(at::scaled_dot_product_attention(T(q), T(k), T(v), opt(mask), 0.0, is_causal, s));
    });
}

ct_status ct_nn_mse_loss(ct_tensor x, ct_tensor target, int32_t reduction, ct_tensor *out) {
    return guard([&] { *out = wrap(at::mse_loss(T(x), T(target), reduction)); });
}
ct_status ct_nn_l1_loss(ct_tensor x, ct_tensor target, int32_t reduction, ct_tensor *out) {
    return guard([&] { *out = wrap(at::l1_loss(T(x), T(target), reduction)); });
}
ct_status ct_nn_bce_with_logits(ct_tensor x, ct_tensor target, ct_tensor weight, ct_tensor pos_weight,
                                int32_t reduction, ct_tensor *out) {
    return guard([&] {
        *out = wrap(at::binary_cross_entropy_with_logits(T(x), T(target), opt(weight), opt(pos_weight), reduction));
    });
}

// ---- torch.save files -----------------------------------------------------------------------

// A torch.save zip read in place (no copy): records are addressed relative to the archive folder, the first
// path component of every entry ("<archive>/data.pkl"), which PyTorchStreamReader prepends itself.
static std::unique_ptr<caffe2::serialize::PyTorchStreamReader> open_torch_save(const void *zip, int64_t nbytes) {
    auto adapter = std::make_shared<caffe2::serialize::MemoryReadAdapter>(zip, static_cast<off_t>(nbytes));
    return std::make_unique<caffe2::serialize::PyTorchStreamReader>(adapter);
}

ct_status ct_zip_record(const void *zip, int64_t nbytes, const char *name, void **out, int64_t *length) {
    return guard([&] {
        *out = nullptr;
        *length = 0;
        auto reader = open_torch_save(zip, nbytes);
        auto [record, size] = reader->getRecord(name);
        void *copy = std::malloc(size == 0 ? 1 : size);
        if (copy == nullptr) throw std::bad_alloc();
        if (size > 0) std::memcpy(copy, record.get(), size);
        *out = copy;
        *length = static_cast<int64_t>(size);
    });
}

void ct_buffer_free(void *buffer) { std::free(buffer); }

ct_status ct_pickle_load(const void *zip, int64_t nbytes, const void *pickle, int64_t pickle_nbytes, int32_t *refusal,
                         char *detail, int64_t detail_capacity, char ***names, ct_tensor **tensors, int64_t *count) {
    return guard([&] {
        *refusal = CT_PICKLE_ACCEPTED;
        *names = nullptr;
        *tensors = nullptr;
        *count = 0;
        copy_detail("", detail, detail_capacity);
        std::vector<std::pair<std::string, at::Tensor>> found;
        try {
            c10::IValue root;
            try {
                // What torch::pickle_load does (torch/csrc/jit/serialization/pickle.cpp, import_read.cpp
                // readArchiveAndTensors), except that the pickle may be a rewritten data.pkl given by the caller.
                auto reader = open_torch_save(zip, nbytes);
                at::DataPtr own_pickle;
                const char *stream = static_cast<const char *>(pickle);
                size_t stream_size = static_cast<size_t>(pickle_nbytes);
                if (stream == nullptr) {
                    size_t size = 0;
                    std::tie(own_pickle, size) = reader->getRecord("data.pkl");
                    stream = static_cast<const char *>(own_pickle.get());
                    stream_size = size;
                }
                size_t consumed = 0;
                auto read = [&](char *buffer, size_t wanted) -> size_t {
                    size_t n = std::min(wanted, stream_size - consumed);
                    if (n > 0) std::memcpy(buffer, stream + consumed, n);
                    consumed += n;
                    return n;
                };
                auto read_record = [&](const std::string &key) {
                    return std::get<0>(reader->getRecord("data/" + key));
                };
                torch::jit::Unpickler unpickler(read, nullptr, nullptr, read_record, std::nullopt);
                unpickler.set_version(reader->version());
                root = unpickler.parse_ivalue();
            } catch (const c10::Error &e) {
                auto refused = classify_unpickling_error(e.what_without_backtrace());
                if (!refused) throw;
                throw *refused;
            }
            collect_tensors(root, "", found);
        } catch (const pickle_refusal &refused) {
            *refusal = refused.kind;
            copy_detail(refused.detail, detail, detail_capacity);
            return;
        }
        auto n = found.size();
        auto *name_array = static_cast<char **>(std::calloc(n + 1, sizeof(char *)));
        auto *tensor_array = static_cast<ct_tensor *>(std::calloc(n + 1, sizeof(ct_tensor)));
        if (name_array == nullptr || tensor_array == nullptr) {
            std::free(name_array);
            std::free(tensor_array);
            throw std::bad_alloc();
        }
        for (size_t i = 0; i < n; ++i) {
            name_array[i] = static_cast<char *>(std::malloc(found[i].first.size() + 1));
            if (name_array[i] != nullptr) std::memcpy(name_array[i], found[i].first.c_str(), found[i].first.size() + 1);
        }
        for (size_t i = 0; i < n; ++i) {
            if (name_array[i] == nullptr) {
                ct_pickle_arrays_free(name_array, tensor_array, static_cast<int64_t>(n));
                throw std::bad_alloc();
            }
        }
        for (size_t i = 0; i < n; ++i) tensor_array[i] = wrap(found[i].second);
        *names = name_array;
        *tensors = tensor_array;
        *count = static_cast<int64_t>(n);
    });
}

void ct_pickle_arrays_free(char **names, ct_tensor *tensors, int64_t count) {
    if (names != nullptr)
        for (int64_t i = 0; i < count; ++i) std::free(names[i]);
    std::free(names);
    std::free(tensors);
}

// ---- autograd ---------------------------------------------------------------------------------

ct_status ct_tensor_set_requires_grad(ct_tensor t, bool requires_grad) {
    return guard([&] { t->value.set_requires_grad(requires_grad); });
}
ct_status ct_tensor_grad(ct_tensor t, ct_tensor *out) {
    return guard([&] {
        const auto &g = T(t).grad();
        *out = g.defined() ? wrap(g) : nullptr;
    });
}
ct_status ct_tensor_zero_grad(ct_tensor t) {
    return guard([&] { t->value.mutable_grad().reset(); });
}
ct_status ct_tensor_set_grad(ct_tensor t, ct_tensor g) {
    return guard([&] {
        if (g) {
            // mutable_grad() assigns without the checks of Python's `x.grad = g`; repeat them.
            const auto &x = T(t);
            const auto &v = T(g);
            TORCH_CHECK(v.sizes() == x.sizes(), "assigned grad has shape ", v.sizes(), " but the tensor has shape ",
                        x.sizes());
            TORCH_CHECK(v.scalar_type() == x.scalar_type(), "assigned grad has dtype ", v.scalar_type(),
                        " but the tensor has dtype ", x.scalar_type());
            TORCH_CHECK(v.device() == x.device(), "assigned grad is on ", v.device(), " but the tensor is on ",
                        x.device());
        }
        t->value.mutable_grad() = g ? T(g) : at::Tensor();
    });
}
ct_status ct_tensor_detach(ct_tensor t, ct_tensor *out) {
    return guard([&] { *out = wrap(T(t).detach()); });
}
ct_status ct_tensor_backward(ct_tensor t, ct_tensor seed, bool retain_graph, bool create_graph) {
    return guard([&] {
        at::Tensor s = seed ? T(seed) : at::Tensor();
        T(t).backward(s, retain_graph, create_graph);
    });
}
ct_status ct_autograd_grad(const ct_tensor *outputs, int64_t output_count, const ct_tensor *inputs, int64_t input_count,
                           const ct_tensor *grad_outputs, bool retain_graph, bool create_graph, bool allow_unused,
                           ct_tensor *results) {
    return guard([&] {
        auto outs = tensor_list(outputs, output_count);
        auto ins = tensor_list(inputs, input_count);
        std::vector<at::Tensor> seeds;
        if (grad_outputs) {
            for (int64_t i = 0; i < output_count; ++i)
                seeds.push_back(grad_outputs[i] ? T(grad_outputs[i]) : at::Tensor());
        }
        auto grads = torch::autograd::grad(outs, ins, seeds, retain_graph, create_graph, allow_unused);
        for (int64_t i = 0; i < input_count; ++i) {
            const auto &g = grads[static_cast<size_t>(i)];
            results[i] = g.defined() ? wrap(g) : nullptr;
        }
    });
}
bool ct_grad_mode_is_enabled(void) { return at::GradMode::is_enabled(); }
void ct_grad_mode_set_enabled(bool enabled) { at::GradMode::set_enabled(enabled); }

// ---- autocast -----------------------------------------------------------------------------------

ct_status ct_autocast_state(int32_t device_type, bool *enabled, int32_t *dtype) {
    return guard([&] {
        auto type = device(device_type, 0).type();
        *enabled = at::autocast::is_autocast_enabled(type);
        *dtype = dtype_code(at::autocast::get_autocast_dtype(type));
    });
}
ct_status ct_autocast_set_state(int32_t device_type, bool enabled, int32_t dtype) {
    return guard([&] {
        auto type = device(device_type, 0).type();
        auto lower = scalar_type(dtype);
        // The same checks torch.autocast makes in Python; LibTorch's C++ setters accept anything.
        bool cpu = type == at::kCPU;
        bool supported = lower == at::kBFloat16 || lower == at::kHalf || (!cpu && lower == at::kFloat);
        TORCH_CHECK(supported, cpu ? "CPU" : "CUDA", " autocast does not support ", lower);
        at::autocast::set_autocast_dtype(type, lower);
        at::autocast::set_autocast_enabled(type, enabled);
    });
}
int32_t ct_autocast_enter(void) { return at::autocast::increment_nesting(); }
int32_t ct_autocast_exit(void) {
    int depth = at::autocast::decrement_nesting();
    if (depth == 0) at::autocast::clear_cache();
    return depth;
}

// ---- memory formats -------------------------------------------------------------------------------

ct_status ct_tensor_contiguous_format(ct_tensor x, int32_t format, ct_tensor *out) {
    return guard([&] { *out = wrap(T(x).contiguous(memory_format(format))); });
}
bool ct_tensor_is_contiguous_format(ct_tensor x, int32_t format) {
    if (format < CT_MEMORY_FORMAT_CONTIGUOUS || format > CT_MEMORY_FORMAT_CHANNELS_LAST_3D) return false;
    return x->value.is_contiguous(memory_format(format));
}
ct_status ct_tensor_set_memory_format_(ct_tensor t, int32_t format) {
    return guard([&] {
        at::NoGradGuard no_grad;
        auto relaid = T(t).detach().contiguous(memory_format(format));
        t->value.set_data(relaid);
    });
}

// ---- in-place updates -------------------------------------------------------------------------

ct_status ct_tensor_copy_(ct_tensor t, ct_tensor source) {
    return guard([&] { t->value.copy_(T(source)); });
}
ct_status ct_tensor_fill_(ct_tensor t, double value) {
    return guard([&] { t->value.fill_(value); });
}
ct_status ct_tensor_zero_(ct_tensor t) {
    return guard([&] { t->value.zero_(); });
}
ct_status ct_tensor_mul_scalar_(ct_tensor t, double s) {
    return guard([&] { t->value.mul_(s); });
}
ct_status ct_tensor_add_scalar_(ct_tensor t, double s) {
    return guard([&] { t->value.add_(s); });
}
ct_status ct_tensor_add_(ct_tensor t, ct_tensor other, double alpha) {
    return guard([&] { t->value.add_(T(other), alpha); });
}
ct_status ct_tensor_mul_(ct_tensor t, ct_tensor other) {
    return guard([&] { t->value.mul_(T(other)); });
}
ct_status ct_tensor_addcmul_(ct_tensor t, ct_tensor a, ct_tensor b, double value) {
    return guard([&] { t->value.addcmul_(T(a), T(b), value); });
}
ct_status ct_tensor_addcdiv_(ct_tensor t, ct_tensor a, ct_tensor b, double value) {
    return guard([&] { t->value.addcdiv_(T(a), T(b), value); });
}
ct_status ct_tensor_lerp_(ct_tensor t, ct_tensor end, double weight) {
    return guard([&] { t->value.lerp_(T(end), weight); });
}
ct_status ct_tensor_clamp_(ct_tensor t, double min, bool has_min, double max, bool has_max) {
    return guard([&] {
        std::optional<at::Scalar> lo = has_min ? std::optional<at::Scalar>(min) : std::nullopt;
        std::optional<at::Scalar> hi = has_max ? std::optional<at::Scalar>(max) : std::nullopt;
        t->value.clamp_(lo, hi);
    });
}

}  // extern "C"

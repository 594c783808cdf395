// A caching CPU allocator for LibTorch.
//
// LibTorch's default CPU allocator calls posix_memalign/free for every tensor. glibc serves blocks
// above its mmap threshold (128 KiB, growing to at most 32 MiB) with a fresh mmap and returns them with
// munmap, so every large intermediate of a network evaluation is page-faulted and zeroed by the
// kernel again. On the U-Net at batch 100 that kernel time was larger than the arithmetic
// (docs/benchmarks.md, "CPU allocator"). This allocator keeps freed blocks of 64 KiB and more in
// per-size free lists and hands them out again, like the CUDA caching allocator does on the GPU.
//
// Sizes are rounded up to one of eight classes per power of two (at most 12.5 % padding); the cache
// holds at most CALOFORGE_CPU_CACHE_MB MiB of free blocks (default: a quarter of the physical memory,
// at least 1024; 0 switches the cache off and leaves LibTorch's allocator in place); blocks freed beyond the cap go back to the system.
// Installed once when the library loads.

#include "ctorch.h"

#include <c10/core/Allocator.h>
#include <c10/core/CPUAllocator.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <unistd.h>
#include <unordered_map>
#include <vector>

namespace {

constexpr size_t kAlignment = 64;          // c10's gAlignment
constexpr size_t kSmallest = 64 * 1024;    // smaller blocks are cheap in glibc: not cached

size_t size_class(size_t n) {
    if (n < kSmallest) return (n + kAlignment - 1) / kAlignment * kAlignment;
    size_t power = 1;
    while (power * 2 <= n) power *= 2;
    size_t step = power / 8;
    return (n + step - 1) / step * step;
}

class CachingCPUAllocator final : public c10::Allocator {
  public:
    explicit CachingCPUAllocator(size_t limit) : limit_(limit) {}

    c10::DataPtr allocate(size_t n) override {
        if (n == 0) return c10::DataPtr(nullptr, nullptr, &release, c10::Device(c10::kCPU));
        size_t bytes = size_class(n);
        void *p = nullptr;
        if (bytes >= kSmallest) {
            std::lock_guard<std::mutex> lock(mutex_);
            auto it = free_.find(bytes);
            if (it != free_.end() && !it->second.empty()) {
                p = it->second.back();
                it->second.pop_back();
                cached_ -= bytes;
                hits_ += 1;
            } else {
                misses_ += 1;
            }
        }
        if (p == nullptr) {
            if (posix_memalign(&p, kAlignment, bytes) != 0 || p == nullptr) {
                release_all();  // give the cache back and try once more before reporting OOM
                if (posix_memalign(&p, kAlignment, bytes) != 0 || p == nullptr) {
                    TORCH_CHECK_WITH(OutOfMemoryError, false, "CPU out of memory: tried to allocate ", bytes,
                                     " bytes");
                }
            }
            if (bytes >= kSmallest) {
                std::lock_guard<std::mutex> lock(mutex_);
                sizes_[p] = bytes;
            }
        }
        return c10::DataPtr(p, p, &release, c10::Device(c10::kCPU));
    }

    c10::DeleterFnPtr raw_deleter() const override { return &release; }

    void copy_data(void *dest, const void *src, std::size_t count) const override {
        default_copy_data(dest, src, count);
    }

    void give_back(void *p) {
        if (p == nullptr) return;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            auto found = sizes_.find(p);
            if (found != sizes_.end()) {
                size_t bytes = found->second;
                if (cached_ + bytes <= limit_) {
                    free_[bytes].push_back(p);
                    cached_ += bytes;
                    return;
                }
                sizes_.erase(found);
            }
        }
        std::free(p);
    }

    void release_all() {
        std::vector<void *> blocks;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            for (auto &entry : free_) {
                for (void *p : entry.second) {
                    sizes_.erase(p);
                    blocks.push_back(p);
                }
            }
            free_.clear();
            cached_ = 0;
        }
        for (void *p : blocks) std::free(p);
    }

    void stats(int64_t *cached_bytes, int64_t *hits, int64_t *misses) {
        std::lock_guard<std::mutex> lock(mutex_);
        *cached_bytes = static_cast<int64_t>(cached_);
        *hits = hits_;
        *misses = misses_;
    }

    static void release(void *p);

  private:
    std::mutex mutex_;
    std::unordered_map<size_t, std::vector<void *>> free_;
    std::unordered_map<void *, size_t> sizes_;
    size_t cached_ = 0;
    size_t limit_;
    int64_t hits_ = 0;
    int64_t misses_ = 0;
};

// Never destroyed: tensors may be freed by static destructors after main returns.
CachingCPUAllocator *installed = nullptr;

void CachingCPUAllocator::release(void *p) {
    if (installed != nullptr) {
        installed->give_back(p);
    } else {
        std::free(p);
    }
}

// A quarter of the physical memory, at least 1 GiB: room for the working set of a large batch
// without letting blocks of sizes no longer asked for crowd out the rest of the machine.
size_t default_limit() {
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    size_t quarter = pages > 0 && page > 0 ? static_cast<size_t>(pages) * static_cast<size_t>(page) / 4 : 0;
    return std::max(quarter, size_t(1024) << 20);
}

size_t configured_limit() {
    const char *text = std::getenv("CALOFORGE_CPU_CACHE_MB");
    if (text == nullptr || *text == '\0') return default_limit();
    char *end = nullptr;
    long long mb = std::strtoll(text, &end, 10);
    if (end == text || *end != '\0' || mb < 0) return default_limit();  // unreadable: the default
    return static_cast<size_t>(mb) << 20;
}

struct Installer {
    Installer() {
        size_t limit = configured_limit();
        if (limit == 0) return;
        installed = new CachingCPUAllocator(limit);
        c10::SetCPUAllocator(installed, /*priority=*/1);
    }
};

Installer installer;

}  // namespace

extern "C" int32_t ct_cpu_cache_stats(int64_t *cached_bytes, int64_t *hits, int64_t *misses) {
    if (installed == nullptr) {
        *cached_bytes = 0;
        *hits = 0;
        *misses = 0;
        return 0;
    }
    installed->stats(cached_bytes, hits, misses);
    return 1;
}

extern "C" void ct_cpu_cache_release(void) {
    if (installed != nullptr) installed->release_all();
}

extern "C" int64_t ct_cpu_cache_limit_mb(void) { return static_cast<int64_t>(configured_limit() >> 20); }

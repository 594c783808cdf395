// bench/aten_overhead.cpp — the same measurements as `caloforge bench engine`, made by calling
// ATen directly from C++, so the cost of the Swift → C shim → ATen path can be read off as the
// difference. Built and run by scripts/bench (make bench).
//
//   aten_overhead [tiny-iterations] [conv-batch] [conv-iterations]

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <ATen/core/grad_mode.h>
#include <torch/csrc/autograd/autograd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

static double now() {
    using clock = std::chrono::steady_clock;
    return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}

int main(int argc, char **argv) {
    long tiny = argc > 1 ? std::atol(argv[1]) : 200000;
    long batch = argc > 2 ? std::atol(argv[2]) : 128;
    long conv_iterations = argc > 3 ? std::atol(argv[3]) : 5;

    auto a = at::ones({1}, at::kFloat);
    auto b = at::full({1}, 2.0, at::kFloat);
    for (int i = 0; i < 1000; ++i) { auto c = at::add(a, b); }
    double start = now();
    for (long i = 0; i < tiny; ++i) { auto c = at::add(a, b); }
    double tiny_us = (now() - start) / static_cast<double>(tiny) * 1e6;

    auto gen = at::make_generator<at::CPUGeneratorImpl>(0);
    auto x = at::randn({batch, 32, 45, 16, 9}, gen, at::kFloat);
    auto w = (at::randn({32, 32, 3, 3, 3}, gen, at::kFloat) * 0.05).set_requires_grad(true);
    auto bias = at::zeros({32}, at::kFloat).set_requires_grad(true);
    auto forward = [&] { return at::convolution(x, w, bias, {1, 1, 1}, {1, 1, 1}, {1, 1, 1}, false, {0, 0, 0}, 1); };
    for (int i = 0; i < 2; ++i) forward().sum().backward();
    start = now();
    for (long i = 0; i < conv_iterations; ++i) {
        at::AutoGradMode guard(false);
        auto y = forward();
    }
    double fwd_ms = (now() - start) / static_cast<double>(conv_iterations) * 1e3;
    start = now();
    for (long i = 0; i < conv_iterations; ++i) forward().sum().backward();
    double both_ms = (now() - start) / static_cast<double>(conv_iterations) * 1e3;

    std::printf("{\"threads\": %d, \"tinyOpMicroseconds\": %.4f, \"convForwardMilliseconds\": %.2f, "
                "\"convForwardBackwardMilliseconds\": %.2f}\n",
                at::get_num_threads(), tiny_us, fwd_ms, both_ms);
    return 0;
}

// swift-tools-version: 6.1
//
// CaloForge — diffusion models for calorimeter shower simulation, in Swift, on LibTorch.
//
// This manifest is the only place that knows where LibTorch lives: the `LIBTORCH` environment
// variable, or `.deps/python/torch` (installed by scripts/bootstrap from the PyPI torch==2.11.0
// wheel) when it is unset.

import Foundation
import PackageDescription

let packageRoot = Context.packageDirectory
let libtorch = Context.environment["LIBTORCH"] ?? "\(packageRoot)/.deps/python/torch"
let libtorchLib = "\(libtorch)/lib"
// libtorch_cpu.so needs libcudart.so.13 and libcupti.so.13 at load time (the nvidia-cuda-runtime and
// nvidia-cuda-cupti wheels that scripts/bootstrap installs beside torch).
let cudaRuntimeLib = "\(libtorch)/../nvidia/cu13/lib"

// MARK: - Public API

let products: [Product] = [
    .executable(name: "caloforge", targets: ["caloforge"]),
    .library(name: "Torch", targets: ["Torch"]),
    .library(name: "TorchNN", targets: ["TorchNN"]),
    .library(name: "Diffusion", targets: ["Diffusion"]),
    .library(name: "CaloData", targets: ["CaloData"]),
    .library(name: "CaloModels", targets: ["CaloModels"]),
    .library(name: "Figures", targets: ["Figures"]),
    .library(name: "CaloEval", targets: ["CaloEval"]),
]

let publicTargets: [Target] = [
    .target(name: "Torch", dependencies: ["CTorch"], exclude: ["README.md"]),
    .target(name: "TorchNN", dependencies: ["Torch"], exclude: ["README.md"]),
    .target(name: "Diffusion", dependencies: ["Torch", "TorchNN"], exclude: ["README.md"]),
    .target(name: "CaloData", dependencies: ["Torch", "CHDF5"], exclude: ["README.md"]),
    .target(
        name: "CaloModels",
        dependencies: ["TorchNN", "Diffusion", "CaloData", .product(name: "Logging", package: "swift-log")],
        exclude: ["README.md"]
    ),
    // The SVG/PNG figure engine: Foundation only, none of our modules.
    .target(name: "Figures", exclude: ["README.md"]),
    .target(name: "CaloEval", dependencies: ["CaloData", "TorchNN", "Figures"], exclude: ["README.md"]),
    .executableTarget(
        name: "caloforge",
        dependencies: [
            "Torch", "TorchNN", "Diffusion", "CaloData", "CaloModels", "CaloEval",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ],
        exclude: ["README.md"]
    ),
]

// MARK: - Implementation details

let implementationTargets: [Target] = [
    .target(
        name: "CTorch",
        exclude: ["README.md"],
        cxxSettings: [
            .unsafeFlags([
                "-I\(libtorch)/include",
                "-I\(libtorch)/include/torch/csrc/api/include",
                "-D_GLIBCXX_USE_CXX11_ABI=1",
                "-Wno-deprecated-declarations",
                "-O2",
            ])
        ],
        linkerSettings: [
            .unsafeFlags([
                "-L\(libtorchLib)",
                "-Xlinker", "-rpath", "-Xlinker", libtorchLib,
                "-Xlinker", "-rpath", "-Xlinker", cudaRuntimeLib,
                "-Xlinker", "-rpath-link", "-Xlinker", cudaRuntimeLib,
            ]),
            .linkedLibrary("torch_cpu"),
            .linkedLibrary("c10"),
            .linkedLibrary("dl"),
        ]
    ),
    .systemLibrary(
        name: "CHDF5",
        pkgConfig: "hdf5",
        providers: [.apt(["libhdf5-dev", "pkg-config"])]
    ),
    .target(name: "_TestSupport", dependencies: ["Torch", "TorchNN", "Diffusion"], exclude: ["README.md"]),
]

// MARK: - Tests

let testTargets: [Target] = [
    // Fixtures/ holds the golden-value generator and its JSON, read through #filePath.
    .testTarget(name: "TorchTests", dependencies: ["Torch", "_TestSupport"], exclude: ["Fixtures"]),
    .testTarget(
        name: "TorchNNTests",
        dependencies: ["TorchNN", "_TestSupport"],
        // PyTorch golden values written by Fixtures/make_fixtures.py (never run by the tests).
        resources: [.copy("Fixtures")]
    ),
    .testTarget(
        name: "CaloDataTests",
        dependencies: ["CaloData", "_TestSupport"],
        // Small CaloChallenge files and golden features from the official code (Fixtures/make_feature_fixtures.py).
        resources: [.copy("Fixtures")]
    ),
    .testTarget(
        name: "CaloModelsTests",
        dependencies: ["CaloModels", "_TestSupport"],
        // Reference CaloDiffusion keys, weights and outputs (Fixtures/make_unet_fixtures.py).
        resources: [.copy("Fixtures")]
    ),
    .testTarget(name: "caloforgeTests", dependencies: ["caloforge", "CaloData", "_TestSupport"]),
    // Fixtures/ holds the schedule golden-value generator (its values are recorded in the tests).
    .testTarget(name: "DiffusionTests", dependencies: ["Diffusion", "_TestSupport"], exclude: ["Fixtures"]),
    .testTarget(name: "FiguresTests", dependencies: ["Figures", "_TestSupport"]),
    .testTarget(
        name: "CaloEvalTests",
        // caloforge: the end-to-end tests run the built `caloforge evaluate`.
        dependencies: ["CaloEval", "_TestSupport", "caloforge"],
        // Synthetic CaloChallenge files and golden separation powers from the official code
        // (Fixtures/make_separation_fixtures.py), plus three small files copied from CaloDataTests.
        resources: [.copy("Fixtures")]
    ),
]

let package = Package(
    name: "CaloForge",
    platforms: [.macOS(.v14)],
    products: products,
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: publicTargets + implementationTargets + testTargets,
    cxxLanguageStandard: .cxx17
)

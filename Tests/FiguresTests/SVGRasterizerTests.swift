import Foundation
import Testing
import _TestSupport

@testable import Figures

/// Writing figures: SVG atomically, PNG through rsvg-convert, and the errors when either fails.
@Suite struct SVGRasterizerTests {
    static var hasRasterizer: Bool { SVGRasterizer().isAvailable }

    @Test(.enabled(if: hasRasterizer, "rsvg-convert is not installed (apt-get install librsvg2-bin)"))
    func pngConversionWritesAPNG() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let saved = try sampleFigure().save(
            in: directory, name: "histogram", png: .required, rasterizer: SVGRasterizer(zoom: 1))
        let png = try #require(saved.png)
        let bytes = try Data(contentsOf: png)
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(FileManager.default.fileExists(atPath: saved.svg.path))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["histogram.png", "histogram.svg"])
    }

    @Test(.enabled(if: hasRasterizer, "rsvg-convert is not installed (apt-get install librsvg2-bin)"))
    func invalidSVGReportsTheToolsError() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let svg = directory.appendingPathComponent("broken.svg")
        try Data("<svg".utf8).write(to: svg)
        #expect {
            try SVGRasterizer().convert(svg: svg, to: directory.appendingPathComponent("broken.png"))
        } throws: { error in
            guard case .rasterizerFailed(_, let status, let input, _)? = error as? FigureError else { return false }
            return status != 0 && input == svg.path
        }
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("broken.png").path))
    }

    @Test func missingRasterizerGivesAnInstallHint() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = SVGRasterizer(executable: "rsvg-convert-not-installed-caloforge")
        #expect(!missing.isAvailable)
        #expect(!SVGRasterizer(executable: "/nonexistent/rsvg-convert").isAvailable)
        let figure = sampleFigure()

        // Required PNG: a clear error; the SVG is still written first.
        var thrown: FigureError?
        do {
            try figure.save(in: directory, name: "required", png: .required, rasterizer: missing)
        } catch let error as FigureError {
            thrown = error
        }
        #expect(thrown == .rasterizerMissing(executable: "rsvg-convert-not-installed-caloforge"))
        let message = try #require(thrown?.description)
        #expect(message.contains("install librsvg2-bin"))
        #expect(message.contains("scripts/bootstrap"))
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("required.svg").path))

        // PNG if available: SVG only, and the reason.
        let saved = try figure.save(in: directory, name: "optional", png: .ifAvailable, rasterizer: missing)
        #expect(saved.png == nil)
        #expect(saved.pngSkipped == message)
        #expect(FileManager.default.fileExists(atPath: saved.svg.path))
    }

    @Test func writingIntoAMissingDirectoryNamesThePath() {
        let url = URL(fileURLWithPath: "/nonexistent-caloforge-dir/figure.svg")
        #expect {
            try sampleFigure().writeSVG(to: url)
        } throws: { error in
            guard case .cannotWrite(let path, _)? = error as? FigureError else { return false }
            return path == url.path
        }
    }

    @Test(.enabled(if: hasRasterizer, "rsvg-convert is not installed (apt-get install librsvg2-bin)"))
    func parallelConversionWritesEveryPNGAndStopsAtAFailure() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var jobs: [(svg: URL, png: URL)] = []
        for index in 0..<3 {
            let saved = try sampleFigure().save(in: directory, name: "figure-\(index)", png: .never)
            jobs.append((saved.svg, directory.appendingPathComponent("figure-\(index).png")))
        }
        var reported: [Int] = []
        try SVGRasterizer(zoom: 1).convert(jobs, parallelism: 2) { reported.append($0) }
        #expect(reported == [1, 2, 3])
        #expect(jobs.allSatisfy { FileManager.default.fileExists(atPath: $0.png.path) })

        let broken = directory.appendingPathComponent("broken.svg")
        try Data("<svg".utf8).write(to: broken)
        let failing = [jobs[0], (svg: broken, png: directory.appendingPathComponent("broken.png"))]
        #expect {
            try SVGRasterizer(zoom: 1).convert(failing, parallelism: 2)
        } throws: { error in
            guard case .rasterizerFailed(_, _, let input, _)? = error as? FigureError else { return false }
            return input == broken.path
        }
        // Neither a PNG nor a temporary file is left for the failed conversion.
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(!names.contains { $0.contains("broken.png") })
    }

    @Test func atomicWriteReplacesTheFileAndLeavesNoTemporary() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("figure.svg")
        try Data("old".utf8).write(to: url)
        try AtomicFile.write("new", to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["figure.svg"])
    }

    @Test func errorMessagesNameTheFileAndTheFix() {
        #expect(
            FigureError.cannotWrite(path: "/x/a.svg", reason: "No such file or directory").description
                == "cannot write /x/a.svg: No such file or directory; check that the output folder exists and is writable")
        #expect(
            FigureError.rasterizerFailed(executable: "/usr/bin/rsvg-convert", status: 1, input: "a.svg", message: " bad \n").description
                == "/usr/bin/rsvg-convert failed with status 1 converting a.svg: bad; check that the SVG is valid")
    }
}

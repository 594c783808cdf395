import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

extension Geometry {
    /// Parses the official binning XML format (spec/calochallenge.md §2.1): a `<Bins>` root with
    /// `<Bin name=…>` children holding one `<Layer id r_edges n_bin_alpha>` per layer. Only the
    /// `<Bin>` whose `name` equals `particle` is read (the first `<Bin>` when `particle` is nil).
    public init(xml data: Data, name: String, particle: String? = nil) throws {
        let delegate = BinningParser(particle: particle)
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        // swift-corelibs-foundation's parse() returns true after many syntax errors (mismatched or
        // unclosed tags, content after the root), so the delegate's first reported error decides.
        let parsed = parser.parse()
        if let problem = delegate.problem { throw CaloDataError.invalidGeometry(source: name, reason: problem) }
        guard parsed else { throw CaloDataError.invalidGeometry(source: name, reason: "not valid XML") }
        guard let matched = delegate.matchedParticle else {
            let wanted = particle.map { "<Bin name=\"\($0)\">" } ?? "<Bin> element"
            throw CaloDataError.invalidGeometry(source: name, reason: "has no \(wanted) (bins present: \(delegate.seenParticles.joined(separator: ", ")))")
        }
        try self.init(name: name, particle: matched, layers: delegate.layers)
    }

    /// Reads a binning XML file.
    public init(xmlFile url: URL, particle: String? = nil) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CaloDataError.invalidGeometry(source: url.path, reason: "cannot be read (\(error.localizedDescription))")
        }
        try self.init(xml: data, name: url.deletingPathExtension().lastPathComponent, particle: particle)
    }

    /// The binning XML text of this geometry (the official format).
    public var xml: String {
        var lines = ["<Bins>", "  <Bin name=\"\(particle)\">"]
        for layer in layers {
            let edges = layer.radialEdges.map { formatEdge($0) }.joined(separator: ",")
            lines.append("    <Layer id=\"\(layer.id)\" r_edges=\"\(edges)\" n_bin_alpha=\"\(layer.angularBins)\"/>")
        }
        lines += ["  </Bin>", "</Bins>"]
        return lines.joined(separator: "\n") + "\n"
    }
}

private func formatEdge(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(value)
}

private final class BinningParser: NSObject, XMLParserDelegate {
    let particle: String?
    var layers: [Geometry.Layer] = []
    var matchedParticle: String?
    var seenParticles: [String] = []
    /// The first problem met: an XML syntax error or an invalid layer.
    var problem: String?
    private var inMatchingBin = false

    init(particle: String?) { self.particle = particle }

    func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        guard problem == nil else { return }
        switch element {
        case "Bin":
            let name = attributes["name"] ?? ""
            seenParticles.append(name)
            inMatchingBin = matchedParticle == nil && (particle == nil || particle == name)
            if inMatchingBin { matchedParticle = name }
        case "Layer" where inMatchingBin:
            guard let idText = attributes["id"], let id = Int(idText.trimmingCharacters(in: .whitespaces)) else {
                fail(parser, "a <Layer> lacks an integer id")
                return
            }
            guard let edgesText = attributes["r_edges"] else {
                fail(parser, "layer \(id) lacks r_edges")
                return
            }
            // Empty fields ("0,5,,10", "0,5,") are errors, as in the official float(s) parse.
            let parts = edgesText.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let edges = parts.compactMap(Double.init)
            guard edges.count == parts.count, edges.allSatisfy(\.isFinite) else {
                fail(parser, "layer \(id) has r_edges '\(edgesText)', which is not a comma-separated list of finite numbers")
                return
            }
            guard let alphaText = attributes["n_bin_alpha"], let alpha = Int(alphaText.trimmingCharacters(in: .whitespaces)) else {
                fail(parser, "layer \(id) lacks an integer n_bin_alpha")
                return
            }
            layers.append(Geometry.Layer(id: id, radialEdges: edges, angularBins: alpha))
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        if element == "Bin" { inMatchingBin = false }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred error: Error) {
        guard problem == nil else { return }
        let code = (error as NSError).code
        problem = "not valid XML (XMLParser error \(code) near line \(parser.lineNumber), column \(parser.columnNumber))"
    }

    private func fail(_ parser: XMLParser, _ reason: String) {
        problem = reason
        parser.abortParsing()
    }
}
